package protocol

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

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
	switch {
	case t == reflect.TypeFor[time.Time]():
		return func(v json.RawMessage) error {
			var tm time.Time
			return tm.UnmarshalJSON(v)
		}
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Int:
		return func(v json.RawMessage) error {
			if isNull(v) {
				return nil
			}
			if v[0] != '-' && (v[0] < '0' || v[0] > '9') {
				return errors.New("not a number")
			}
			_, err := strconv.ParseInt(string(v), 10, strconv.IntSize)
			return err
		}
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String &&
		!reflect.PointerTo(t.Elem()).Implements(textUnmarshaler) && !reflect.PointerTo(t.Key()).Implements(textUnmarshaler):
		return func(v json.RawMessage) error {
			if isNull(v) {
				return nil
			}
			var bad error
			err := eachMember(v, func(_ []byte, e json.RawMessage) bool {
				if !isNull(e) && e[0] != '"' {
					bad = errors.New("a value is not a string")
				}
				return bad == nil
			})
			if err != nil {
				return err
			}
			return bad
		}
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
		return func(v json.RawMessage) error {
			return reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(v)
		}
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return func(v json.RawMessage) error {
			if isNull(v) {
				return nil
			}
			return str(v, "value", func(s []byte) error {
				return reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText(s)
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
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		elem := checkerFor(t.Elem())
		return func(v json.RawMessage) error {
			if isNull(v) {
				return nil
			}
			if v[0] != '[' {
				return errors.New("not an array")
			}
			return eachElement(v, func(_ int, e json.RawMessage) error { return elem(e) })
		}
	case t.Kind() == reflect.Struct:
		if check := structChecker(t); check != nil {
			return check
		}
	}
	return func(v json.RawMessage) error { return json.Unmarshal(v, reflect.New(t).Interface()) }
}

func isNull(v json.RawMessage) bool { return string(v) == "null" }

// structChecker checks a struct of plain named fields as encoding/json
// decodes it: an object (or null) whose members that name a field (exactly,
// or else in another letter case) decode into the field, the others
// ignored. It returns nil for a struct it does not know how to check.
func structChecker(t reflect.Type) checker {
	type field struct {
		name  string
		check checker
	}
	var fields []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || f.Anonymous || name == "" || name == "-" || strings.Contains(opts, "string") {
			return nil
		}
		fields = append(fields, field{name, checkerFor(f.Type)})
	}
	return func(v json.RawMessage) error {
		if isNull(v) {
			return nil
		}
		if v[0] != '{' {
			return errors.New("not an object")
		}
		var bad error
		err := eachMember(v, func(k []byte, e json.RawMessage) bool {
			var check checker
			for _, f := range fields {
				if f.name == string(k) {
					check = f.check
					break
				}
			}
			if check == nil {
				for _, f := range fields {
					if bytes.EqualFold([]byte(f.name), k) {
						check = f.check
						break
					}
				}
			}
			if check != nil {
				bad = check(e)
			}
			return bad == nil
		})
		if err != nil {
			return err
		}
		return bad
	}
}
