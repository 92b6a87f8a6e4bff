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

// An op's value is checked field by field: each member is read as the Go
// type of the record field it sets, which is what decoding the whole
// record would do, at a fraction of the cost. The check reads the value's
// text once, checking its syntax as it goes (DecodePush only skims a
// value to find where it ends). A member whose meaning depends on another
// (a deal's amount is read in its currency's minor digits) goes through
// the record's own decoder, with just those members.

var (
	typesOnce  sync.Once
	fieldTypes map[model.Entity]map[string]checker
)

// checker reads one JSON value at s and checks that encoding/json decodes
// it into one field's type. It may stop at the first problem, of syntax
// or of type, leaving s anywhere: checkValue tells the two apart.
type checker func(s *scanner) error

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
		return viaText(func(v json.RawMessage) error {
			var tm time.Time
			return tm.UnmarshalJSON(v)
		})
	case t == reflect.TypeFor[model.ID]():
		// The commonest text field: read without reflection.
		return textChecker(func(b []byte) error {
			var id model.ID
			return id.UnmarshalText(b)
		})
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Int:
		return checkInt
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String &&
		!reflect.PointerTo(t.Elem()).Implements(textUnmarshaler) && !reflect.PointerTo(t.Key()).Implements(textUnmarshaler):
		return checkStringMap
	case reflect.PointerTo(t).Implements(jsonUnmarshaler):
		return viaText(func(v json.RawMessage) error {
			return reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(v)
		})
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return textChecker(func(b []byte) error {
			return reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText(b)
		})
	case t.Kind() == reflect.String:
		return checkString
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String && !reflect.PointerTo(t.Elem()).Implements(textUnmarshaler):
		return sliceChecker(checkString)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		return sliceChecker(checkerFor(t.Elem()))
	case t.Kind() == reflect.Struct:
		if check := structChecker(t); check != nil {
			return check
		}
	}
	return viaText(func(v json.RawMessage) error { return json.Unmarshal(v, reflect.New(t).Interface()) })
}

// viaText reads a value and hands its text to check.
func viaText(check func(json.RawMessage) error) checker {
	return func(s *scanner) error {
		v0 := s.i
		if err := s.skipValue(0); err != nil {
			return err
		}
		return check(s.b[v0:s.i])
	}
}

// textChecker reads a string (or null, which leaves the field as it is)
// and hands its unquoted text to check.
func textChecker(check func([]byte) error) checker {
	return func(s *scanner) error {
		if s.null() {
			return nil
		}
		if !s.at('"') {
			return errors.New("not a string")
		}
		v0 := s.i
		if err := s.skipString(); err != nil {
			return err
		}
		text, err := unquoteBytes(s.b[v0:s.i])
		if err == nil {
			err = check(text)
		}
		return err
	}
}

func checkString(s *scanner) error {
	if s.null() {
		return nil
	}
	if !s.at('"') {
		return errors.New("not a string")
	}
	return s.skipString()
}

func checkInt(s *scanner) error {
	if s.null() {
		return nil
	}
	if !s.at('-') && !s.atDigit() {
		return errors.New("not a number")
	}
	v0 := s.i
	if err := s.number(); err != nil {
		return err
	}
	_, err := strconv.ParseInt(string(s.b[v0:s.i]), 10, strconv.IntSize)
	return err
}

func checkStringMap(s *scanner) error {
	if s.null() {
		return nil
	}
	if !s.at('{') {
		return errors.New("not an object")
	}
	return s.members(func([]byte) error {
		if !s.null() && !s.at('"') {
			return errors.New("a value is not a string")
		}
		return s.skipValue(1)
	})
}

// sliceChecker checks an array (or null) whose elements elem checks.
func sliceChecker(elem checker) checker {
	return func(s *scanner) error {
		if s.null() {
			return nil
		}
		if !s.at('[') {
			return errors.New("not an array")
		}
		return s.array(func(int) error { return elem(s) })
	}
}

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
	return func(s *scanner) error {
		if s.null() {
			return nil
		}
		if !s.at('{') {
			return errors.New("not an object")
		}
		return s.object(func(k []byte) error {
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
			if check == nil {
				return s.skipValue(1)
			}
			return check(s)
		})
	}
}

// validValue reports whether v is one valid JSON value.
func validValue(v []byte) bool {
	s := scanner{b: v}
	s.space()
	return s.skipValue(0) == nil && s.end() == nil
}
