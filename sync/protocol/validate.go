package protocol

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/rolo-crm/rolo/model"
)

// An op's value is checked field by field: each member is decoded into
// the Go type of the record field it sets, which is what decoding the
// whole record would do, at a fraction of the cost. A member whose
// meaning depends on another (a deal's amount is read in its currency's
// minor digits) sends the whole value through the record's own decoder.

var (
	typesOnce  sync.Once
	fieldTypes map[model.Entity]map[string]checker
)

// checker checks that a JSON value (known to be valid JSON) decodes into
// one field's type.
type checker func(json.RawMessage) error

// listFields are the members the model's custom JSON adds for a contact's
// emails and phones; they decode as these types.
var listFields = map[string]reflect.Type{
	"emails":        reflect.TypeFor[[]string](),
	"phones":        reflect.TypeFor[[]string](),
	"email_details": reflect.TypeFor[[]model.Email](),
	"phone_details": reflect.TypeFor[[]model.Phone](),
}

func typesOf(e model.Entity) map[string]checker {
	typesOnce.Do(func() {
		fieldTypes = map[model.Entity]map[string]checker{}
		for _, ent := range model.Entities {
			m := map[string]checker{}
			t := reflect.TypeOf(NewRecord(ent)).Elem()
			for i := range t.NumField() {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name != "" && name != "-" {
					m[name] = checkerFor(f.Type)
				}
			}
			if ent == model.EntityContact {
				for k, t := range listFields {
					m[k] = checkerFor(t)
				}
			}
			fieldTypes[ent] = m
		}
	})
	return fieldTypes[e]
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkerFor returns the cheapest check that accepts exactly what
// encoding/json decodes into a value of type t.
func checkerFor(t reflect.Type) checker {
	isNull := func(v json.RawMessage) bool { return string(v) == "null" }
	switch {
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
		return func(v json.RawMessage) error {
			return reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(v)
		}
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return func(v json.RawMessage) error {
			if isNull(v) {
				return nil
			}
			return str(v, "value", func(s string) error {
				return reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
			})
		}
	case t.Kind() == reflect.String:
		return func(v json.RawMessage) error {
			if isNull(v) || v[0] == '"' {
				return nil
			}
			return errors.New("not a string")
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String && !reflect.PointerTo(t.Elem()).Implements(textUnmarshaler):
		return func(v json.RawMessage) error {
			if isNull(v) {
				return nil
			}
			return eachElement(v, func(_ int, e json.RawMessage) error {
				if isNull(e) || e[0] == '"' {
					return nil
				}
				return errors.New("an element is not a string")
			})
		}
	}
	return func(v json.RawMessage) error { return json.Unmarshal(v, reflect.New(t).Interface()) }
}
