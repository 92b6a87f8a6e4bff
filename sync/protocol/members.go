package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/rolo-crm/rolo/model"
)

// EachMember calls fn with the key and raw value of every member of the
// JSON object obj, in order, until fn returns false. The values alias obj.
// It reads objects fast, without decoding their values, but it checks
// that what it walks is valid JSON (as json.Valid would). Keys with
// escapes are unescaped.
func EachMember(obj []byte, fn func(key string, value json.RawMessage) bool) error {
	s := scanner{b: obj}
	err := s.object(func(k []byte) error {
		v0 := s.i
		if err := s.skipValue(0); err != nil {
			return err
		}
		if !fn(string(k), json.RawMessage(obj[v0:s.i])) {
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

// object reads an object, calling member for each key with the scanner
// at the member's value, which member must consume.
func (s *scanner) object(member func(key []byte) error) error {
	return s.members(func(tok []byte) error {
		key, err := unquoteBytes(tok)
		if err != nil {
			return err
		}
		return member(key)
	})
}

// members is object handing over each key as its string token, quotes
// and escapes included, for a caller that unquotes only the keys it needs
// (or none).
func (s *scanner) members(member func(tok []byte) error) error {
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
		k1 := s.i
		s.space()
		if !s.eat(':') {
			return s.errorf("':' expected")
		}
		s.space()
		if err := member(s.b[k0:k1]); err != nil {
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
	if bytes.HasPrefix(s.b[s.i:], []byte("null")) && (len(s.b) == s.i+4 || !isLiteralByte(s.b[s.i+4])) {
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
	// valid says b is known to be valid JSON (encoding/json or this
	// package checked or wrote it): strings are skipped without a check.
	valid bool
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

// at reports whether c comes next.
func (s *scanner) at(c byte) bool { return s.i < len(s.b) && s.b[s.i] == c }

func (s *scanner) atDigit() bool { return s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' }

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

// skipString skips a string token. Unless the input is known to be valid
// JSON it checks the string as json.Valid does: no control characters,
// only the escapes JSON has. (Like json.Valid it lets invalid UTF-8
// through; decoding replaces it.)
func (s *scanner) skipString() error {
	if !s.eat('"') {
		return s.errorf("string expected")
	}
	if s.valid {
		return s.skipValidString()
	}
	b := s.b
	for i := s.i; i < len(b); {
		i = skipPlain(b, i)
		// The byte skipPlain stopped for is among the next 8.
		for end := min(i+8, len(b)); i < end; i++ {
			c := b[i]
			if !stringSpecial[c] {
				continue
			}
			switch {
			case c == '"':
				s.i = i + 1
				return nil
			case c < 0x20:
				s.i = i
				return s.errorf("control character in string")
			}
			// A backslash: one of the escapes JSON has.
			if i+1 >= len(b) {
				return s.unterminated()
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 >= len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					s.i = i
					return s.errorf("bad \\u escape in string")
				}
				i += 5
			default:
				s.i = i
				return s.errorf("bad escape in string")
			}
		}
	}
	return s.unterminated()
}

func (s *scanner) unterminated() error {
	s.i = len(s.b)
	return s.errorf("unterminated string")
}

// skipPlain returns the index of the first 8-byte word from i on that may
// hold a quote, a backslash or a control character, reading a word at a
// time (the tests on bytes in a word are those of "Bit Twiddling Hacks":
// exact about whether a word has such a byte, not about where).
func skipPlain(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, bs := x^('"'*ones), x^('\\'*ones)
		if ((x-0x20*ones)&^x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			return i
		}
	}
	return i
}

// skipValidString skips the rest of a string known to be valid: up to the
// first quote not escaped.
func (s *scanner) skipValidString() error {
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

// stringSpecial marks the bytes skipString must look at.
var stringSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

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
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		return s.number()
	}
}

// skim moves past the value at s without checking it, for text that is
// checked later (DecodePush skims values, Check reads them). Where it stops
// is exact when the value is valid JSON; when it is not, the value's text
// found is not one valid JSON value either, and the later check says so.
func (s *scanner) skim() error {
	if s.i >= len(s.b) {
		return s.errorf("value expected")
	}
	switch s.b[s.i] {
	case '"':
		s.i++
		return s.skipValidString()
	case '{', '[':
	default:
		start := s.i
		for s.i < len(s.b) && isLiteralByte(s.b[s.i]) {
			s.i++
		}
		if s.i == start {
			return s.errorf("unexpected %q", s.b[s.i])
		}
		return nil
	}
	depth := 0
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			s.i++
			if err := s.skipValidString(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				s.i++
				return nil
			}
		}
		s.i++
	}
	return s.errorf("unexpected end of the value")
}

// literal skips the literal lit.
func (s *scanner) literal(lit string) error {
	if !bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
		if s.i >= len(s.b) {
			return s.errorf("value expected")
		}
		return s.errorf("unexpected %q", s.b[s.i])
	}
	s.i += len(lit)
	return s.endOfLiteral()
}

// number skips a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() error {
	start := s.i
	s.eat('-')
	switch {
	case s.eat('0'):
	case s.i < len(s.b) && '1' <= s.b[s.i] && s.b[s.i] <= '9':
		s.digits()
	default:
		s.i = start
		if s.i < len(s.b) {
			return s.errorf("unexpected %q", s.b[s.i])
		}
		return s.errorf("value expected")
	}
	if s.eat('.') && s.digits() == 0 {
		return s.errorf("digit expected")
	}
	if s.eat('e') || s.eat('E') {
		if !s.eat('+') {
			s.eat('-')
		}
		if s.digits() == 0 {
			return s.errorf("digit expected")
		}
	}
	return s.endOfLiteral()
}

func (s *scanner) digits() int {
	n := 0
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

// endOfLiteral refuses a literal or number run on into more letters or
// digits ("truex", "01").
func (s *scanner) endOfLiteral() error {
	if s.i < len(s.b) && isLiteralByte(s.b[s.i]) {
		return s.errorf("unexpected %q", s.b[s.i])
	}
	return nil
}

func isLiteralByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.'
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

// unquoteBytes returns the text of a JSON string token: a slice of tok
// when it has no escapes (nor non-ASCII text, which encoding/json may
// rewrite), a copy otherwise.
func unquoteBytes(tok []byte) ([]byte, error) {
	if len(tok) < 2 {
		return nil, errors.New("bad string")
	}
	inner := tok[1 : len(tok)-1]
	for _, c := range inner {
		if c == '\\' || c >= utf8.RuneSelf {
			var s string
			if err := json.Unmarshal(tok, &s); err != nil {
				return nil, err
			}
			return []byte(s), nil
		}
	}
	return inner, nil
}

// keyInfo is what reading and writing ops need to know of one JSON key
// of a record that belongs to a field group.
type keyInfo struct {
	group int // the group's index
	order int // the key's place among the keys of the entity's groups
	// check checks the key's value; nil for a key the record's own
	// decoder reads together with others.
	check checker
}

// recordKeys finds what is known of a record's JSON keys. An entity has
// a few keys of each length: comparing those costs less than hashing.
type recordKeys struct {
	byLen [24][]recordKey // longer keys are with the longest
}

type recordKey struct {
	name string
	keyInfo
}

func (rk *recordKeys) add(name string, ki keyInfo) {
	n := min(len(name), len(rk.byLen)-1)
	rk.byLen[n] = append(rk.byLen[n], recordKey{name, ki})
}

// find returns what is known of key k.
func (rk *recordKeys) find(k []byte) (keyInfo, bool) {
	for _, c := range rk.byLen[min(len(k), len(rk.byLen)-1)] {
		if c.name == string(k) {
			return c.keyInfo, true
		}
	}
	return keyInfo{}, false
}

var (
	keysOnce sync.Once
	keyInfos map[model.Entity]*recordKeys
)

// keysOf holds every JSON key that belongs to a field group of e, with
// what is known of it.
func keysOf(e model.Entity) *recordKeys {
	keysOnce.Do(func() {
		keyInfos = map[model.Entity]*recordKeys{}
		for _, ent := range model.Entities {
			keys := &recordKeys{}
			types := typesOf(ent)
			n := 0
			for i, g := range model.Groups(ent) {
				for _, k := range g.Keys {
					keys.add(k, keyInfo{group: i, order: n, check: types[k]})
					n++
				}
			}
			keyInfos[ent] = keys
		}
	})
	return keyInfos[e]
}

// GroupValue returns the value of an op setting the groups in mask: the
// members of the record's JSON (rec, as json.Marshal writes it) that
// belong to those groups, with null for a field the JSON omits. It is the
// several-group form of model.GroupValue, without decoding the record.
// rec must be valid JSON; the members are copied as they are.
func GroupValue(e model.Entity, rec []byte, mask model.GroupMask) (json.RawMessage, error) {
	return AppendGroupValue(make([]byte, 0, len(rec)+16), e, rec, mask)
}

// AppendGroupValue appends GroupValue's result to out.
func AppendGroupValue(out []byte, e model.Entity, rec []byte, mask model.GroupMask) ([]byte, error) {
	keys := keysOf(e)
	start := len(out)
	out = append(out, '{')
	var seen uint64 // by keyInfo.order; the model has fewer than 64 keys an entity
	s := scanner{b: rec, valid: true}
	err := s.members(func(tok []byte) error {
		v0 := s.i
		if err := s.skim(); err != nil {
			return err
		}
		key, err := unquoteBytes(tok)
		if err != nil {
			return err
		}
		if ki, ok := keys.find(key); ok && mask&(1<<ki.group) != 0 {
			if len(out) > start+1 {
				out = append(out, ',')
			}
			out = append(append(append(out, tok...), ':'), rec[v0:s.i]...)
			seen |= 1 << ki.order
		}
		return nil
	})
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return out[:start], err
	}
	n := 0
	for i, g := range model.Groups(e) {
		for _, k := range g.Keys {
			if mask&(1<<i) != 0 && seen&(1<<n) == 0 {
				if len(out) > start+1 {
					out = append(out, ',')
				}
				out = append(appendString(out, k), ":null"...)
			}
			n++
		}
	}
	return append(out, '}'), nil
}

func appendMember(out []byte, k []byte, v json.RawMessage) []byte {
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = appendString(out, k)
	out = append(out, ':')
	return append(out, v...)
}
