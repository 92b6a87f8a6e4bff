package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/rolo-crm/rolo/model"
)

// EachMember calls fn with the key and raw value of every member of the
// JSON object obj, in order, until fn returns false. The values alias obj.
// It reads objects fast, without decoding their values; it checks the
// structure it walks (strings, brackets, separators) but leaves the values
// to whoever decodes them. Keys with escapes are unescaped.
func EachMember(obj []byte, fn func(key string, value json.RawMessage) bool) error {
	s := scanner{b: obj}
	err := s.object(func(k string) error {
		v0 := s.i
		if err := s.skipValue(0); err != nil {
			return err
		}
		if !fn(k, json.RawMessage(obj[v0:s.i])) {
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.end()
}

// errStop ends a walk early.
var errStop = errors.New("stop")

// eachElement calls fn with each element of the JSON array arr.
func eachElement(arr []byte, fn func(int, json.RawMessage) error) error {
	s := scanner{b: arr}
	return s.array(func(i int) error {
		v0 := s.i
		if err := s.skipValue(0); err != nil {
			return err
		}
		return fn(i, json.RawMessage(arr[v0:s.i]))
	})
}

// object reads an object, calling member for each key with the scanner
// at the member's value, which member must consume.
func (s *scanner) object(member func(key string) error) error {
	s.space()
	if !s.eat('{') {
		return s.errorf("json: object expected")
	}
	s.space()
	if s.eat('}') {
		return nil
	}
	for {
		s.space()
		k0 := s.i
		if err := s.skipString(); err != nil {
			return err
		}
		key, err := unquote(s.b[k0:s.i])
		if err != nil {
			return err
		}
		s.space()
		if !s.eat(':') {
			return s.errorf("':' expected")
		}
		s.space()
		if err := member(key); err != nil {
			return err
		}
		s.space()
		if s.eat('}') {
			return nil
		}
		if !s.eat(',') {
			return s.errorf("',' or '}' expected")
		}
	}
}

// array reads an array, calling elem for each element with the scanner
// at it, which elem must consume.
func (s *scanner) array(elem func(i int) error) error {
	s.space()
	if !s.eat('[') {
		return s.errorf("json: array expected")
	}
	s.space()
	if s.eat(']') {
		return nil
	}
	for i := 0; ; i++ {
		s.space()
		if err := elem(i); err != nil {
			return err
		}
		s.space()
		if s.eat(']') {
			return nil
		}
		if !s.eat(',') {
			return s.errorf("',' or ']' expected")
		}
	}
}

// null consumes a null literal, if that is what comes next.
func (s *scanner) null() bool {
	if bytes.HasPrefix(s.b[s.i:], []byte("null")) {
		s.i += 4
		return true
	}
	return false
}

// maxDepth bounds nesting, so hostile input cannot exhaust the stack.
const maxDepth = 200

type scanner struct {
	b []byte
	i int
}

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", s.i, fmt.Sprintf(format, args...))
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) end() error {
	s.space()
	if s.i != len(s.b) {
		return s.errorf("data after the object")
	}
	return nil
}

// skipString skips a string token. It finds the closing quote with
// IndexByte; it does not check escapes or control characters (callers
// that read outside input check it is valid JSON first).
func (s *scanner) skipString() error {
	if !s.eat('"') {
		return s.errorf("string expected")
	}
	start := s.i
	for {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			s.i = len(s.b)
			return s.errorf("unterminated string")
		}
		end := s.i + j
		n := 0
		for k := end - 1; k >= start && s.b[k] == '\\'; k-- {
			n++
		}
		s.i = end + 1
		if n%2 == 0 {
			return nil
		}
	}
}

func (s *scanner) skipValue(depth int) error {
	if depth > maxDepth {
		return s.errorf("nested too deeply")
	}
	if s.i >= len(s.b) {
		return s.errorf("value expected")
	}
	switch c := s.b[s.i]; c {
	case '"':
		return s.skipString()
	case '{', '[':
		return s.skipContainer(depth)
	default:
		start := s.i
		for s.i < len(s.b) && isLiteralByte(s.b[s.i]) {
			s.i++
		}
		if s.i == start {
			return s.errorf("unexpected %q", c)
		}
		return nil
	}
}

func isLiteralByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'E'
}

func (s *scanner) skipContainer(depth int) error {
	open := s.b[s.i]
	closer := byte(']')
	if open == '{' {
		closer = '}'
	}
	s.i++
	s.space()
	if s.eat(closer) {
		return nil
	}
	for {
		s.space()
		if open == '{' {
			if err := s.skipString(); err != nil {
				return err
			}
			s.space()
			if !s.eat(':') {
				return s.errorf("':' expected")
			}
			s.space()
		}
		if err := s.skipValue(depth + 1); err != nil {
			return err
		}
		s.space()
		if s.eat(closer) {
			return nil
		}
		if !s.eat(',') {
			return s.errorf("',' or %q expected", closer)
		}
	}
}

// unquote returns the text of a JSON string token.
func unquote(tok []byte) (string, error) {
	if len(tok) < 2 {
		return "", errors.New("bad string")
	}
	inner := tok[1 : len(tok)-1]
	for _, c := range inner {
		if c == '\\' || c >= utf8.RuneSelf {
			var s string
			if err := json.Unmarshal(tok, &s); err != nil {
				return "", err
			}
			return s, nil
		}
	}
	return string(inner), nil
}

var (
	keysOnce sync.Once
	keyGroup map[model.Entity]map[string]int
)

// groupOfKey maps every JSON key that belongs to a field group of e to
// the group's index.
func groupOfKey(e model.Entity) map[string]int {
	keysOnce.Do(func() {
		keyGroup = map[model.Entity]map[string]int{}
		for _, ent := range model.Entities {
			m := map[string]int{}
			for i, g := range model.Groups(ent) {
				for _, k := range g.Keys {
					m[k] = i
				}
			}
			keyGroup[ent] = m
		}
	})
	return keyGroup[e]
}

// GroupValue returns the value of an op setting the groups in mask: the
// members of the record's JSON (rec, as json.Marshal writes it) that
// belong to those groups, with null for a field the JSON omits. It is the
// several-group form of model.GroupValue, without decoding the record.
func GroupValue(e model.Entity, rec []byte, mask model.GroupMask) (json.RawMessage, error) {
	keys := groupOfKey(e)
	out := make([]byte, 0, len(rec))
	out = append(out, '{')
	var seen []string
	err := EachMember(rec, func(k string, v json.RawMessage) bool {
		if g, ok := keys[k]; ok && mask&(1<<g) != 0 {
			out = appendMember(out, k, v)
			seen = append(seen, k)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	for i, g := range model.Groups(e) {
		if mask&(1<<i) == 0 {
			continue
		}
		for _, k := range g.Keys {
			if !slices.Contains(seen, k) {
				out = appendMember(out, k, json.RawMessage("null"))
			}
		}
	}
	return append(out, '}'), nil
}

func appendMember(out []byte, k string, v json.RawMessage) []byte {
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = appendString(out, k)
	out = append(out, ':')
	return append(out, v...)
}
