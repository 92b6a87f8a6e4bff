// Package vcf reads vCard files as phones and address books write them
// (vCard 2.1, 3.0 and 4.0) and writes vCard 4.0.
//
// It reads cards itself rather than with go-vcard's Decoder, which cannot
// read what Android phones export: vCard 2.1's bare parameters ("TEL;CELL:")
// lose the value, quoted-printable soft line breaks split a property in
// two, CHARSET is ignored, and a line it cannot parse is skipped silently,
// with no line number to report. Writing uses go-vcard's Card and Encoder.
package vcf

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/rolo-crm/rolo/i18n"
)

// Prop is one property of a card, decoded: quoted-printable and its
// CHARSET are undone, the value keeps the format's backslash escapes
// (read it with Text, Parts or List).
type Prop struct {
	Line  int    // where the property starts
	Group string // "item1" in "item1.TEL"
	Name  string // upper case: "TEL", "X-WECHAT"
	// Params holds the parameters with upper-case names. vCard 2.1's bare
	// types ("TEL;CELL;PREF:") are filed under TYPE; type values are lower
	// case. ENCODING and CHARSET are consumed by the decoding. Nil when
	// the property has no parameters.
	Params map[string][]string
	Value  string
	// Binary is set for inline data (ENCODING=b or BASE64): a photo, a
	// sound, a key. Value then holds the base64 text.
	Binary bool
	v21    bool
}

// Card is one vCard.
type Card struct {
	Line    int // the line of BEGIN:VCARD
	Version string
	Props   []Prop
	// Err says why the card cannot be read (a line that is no property,
	// a missing END). The props before the fault are kept.
	Err error
}

// Get returns the first property with the given name, or nil.
func (c *Card) Get(name string) *Prop {
	for i := range c.Props {
		if c.Props[i].Name == name {
			return &c.Props[i]
		}
	}
	return nil
}

// Reader reads cards one after another.
type Reader struct {
	text []byte
	pos  int
	line int // the number of the line at pos
	// back holds a BEGIN:VCARD that ended a card without END:VCARD, to be
	// read again as the start of the next card.
	back     string
	backLine int
}

// NewReader reads cards from UTF-8 text (the file's own encoding already
// undone; see textenc).
func NewReader(text []byte) *Reader { return &Reader{text: text, line: 1} }

// LineError is a fault at a line of the file.
type LineError struct {
	Line   int
	Reason i18n.Msg // why, in any language (messages "vcf.*")
}

func (e *LineError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason.In(i18n.English))
}

// In returns the reason (without the line) in language l.
func (e *LineError) In(l i18n.Lang) string { return e.Reason.In(l) }

func lineError(line int, key string, args ...any) *LineError {
	return &LineError{line, i18n.Msg{Key: key, Args: args}}
}

// Next returns the next card, or nil at the end of the text. A card that
// cannot be read is returned with Err set, and reading goes on after it;
// text outside any card is returned as a card holding only Err.
func (r *Reader) Next() *Card {
	raw := r.NextRaw()
	if raw == nil {
		return nil
	}
	return raw.Parse()
}

// RawCard is a card split into its logical lines, not yet parsed: Next
// is NextRaw then Parse, and a reader of a large file can parse cards on
// other goroutines while one reads the file.
type RawCard struct {
	Line  int // the line of BEGIN:VCARD
	lines []rawLine
	err   error // a fault of the card as a whole (no END:VCARD)
}

type rawLine struct {
	line int
	text string
}

// NextRaw returns the next card's lines, or nil at the end of the text.
func (r *Reader) NextRaw() *RawCard {
	for {
		start, l, ok := r.logical()
		if !ok {
			return nil
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		if !isBegin(l) {
			return &RawCard{Line: start, err: lineError(start, "vcf.outside")}
		}
		return r.card(start)
	}
}

func isBegin(l string) bool { return equalFoldTrimmed(l, "BEGIN:VCARD") }
func isEnd(l string) bool   { return equalFoldTrimmed(l, "END:VCARD") }

// equalFoldTrimmed is strings.EqualFold(strings.TrimSpace(l), want),
// quick to say no to the property lines it mostly sees.
func equalFoldTrimmed(l, want string) bool {
	return len(l) >= len(want) && strings.EqualFold(strings.TrimSpace(l), want)
}

// card collects the lines after a BEGIN:VCARD at line start.
func (r *Reader) card(start int) *RawCard {
	c := &RawCard{Line: start, lines: make([]rawLine, 0, 12)}
	for {
		line, l, ok := r.logical()
		switch {
		case !ok:
			c.err = lineError(start, "vcf.noend")
			return c
		case isEnd(l):
			return c
		case isBegin(l):
			r.back, r.backLine = l, line
			c.err = lineError(start, "vcf.noend.next", line)
			return c
		case strings.TrimSpace(l) == "":
			continue
		}
		c.lines = append(c.lines, rawLine{line, l})
	}
}

// Parse reads the card's properties. The first line that is no property
// is the card's Err, unless the card as a whole has a fault; the
// properties before it are kept.
func (rc *RawCard) Parse() *Card {
	c := &Card{Line: rc.Line, Props: make([]Prop, 0, len(rc.lines))}
	for _, l := range rc.lines {
		p, err := parseProp(l.text, l.line, c.Version)
		if err != nil {
			c.Err = err
			break
		}
		if p.Name == "VERSION" {
			c.Version = strings.TrimSpace(p.Value)
			continue
		}
		c.Props = append(c.Props, p)
	}
	if rc.err != nil {
		c.Err = rc.err
	}
	return c
}

// logical returns the next logical line: physical lines joined where a
// line folds (the next starts with a space or tab) or where a
// quoted-printable value breaks softly (ends with "=").
func (r *Reader) logical() (int, string, bool) {
	if r.back != "" {
		l, line := r.back, r.backLine
		r.back = ""
		return line, l, true
	}
	first, ok := r.physical()
	if !ok {
		return 0, "", false
	}
	start := r.line - 1
	qp := isQP(first)
	if !r.continues(first, qp) {
		return start, first, true // most lines: no copy
	}
	var b strings.Builder
	b.WriteString(first)
	for r.pos < len(r.text) {
		cur := b.String()
		if !r.continues(cur, qp) {
			break
		}
		next, _ := r.physical()
		if c := next[0]; c == ' ' || c == '\t' {
			if !(qp && strings.HasSuffix(cur, "=")) {
				b.WriteString(next[1:])
				continue
			}
		}
		// A quoted-printable soft line break: drop the "=" and join,
		// keeping the next line whole (its leading space is text).
		b.Reset()
		b.WriteString(cur[:len(cur)-1])
		b.WriteString(next)
	}
	return start, b.String(), true
}

// continues reports whether the logical line cur goes on on the next
// physical line: that line is folded (begins with a space or tab), or cur
// is quoted-printable and ends with a soft line break.
func (r *Reader) continues(cur string, qp bool) bool {
	if r.pos >= len(r.text) {
		return false
	}
	switch c := r.text[r.pos]; {
	case qp && strings.HasSuffix(cur, "=") && c != '\n' && c != '\r':
		return true
	default:
		return c == ' ' || c == '\t'
	}
}

// physical returns the next physical line without its line ending.
func (r *Reader) physical() (string, bool) {
	if r.pos >= len(r.text) {
		return "", false
	}
	rest := r.text[r.pos:]
	i := bytes.IndexByte(rest, '\n')
	var l []byte
	if i < 0 {
		l, r.pos = rest, len(r.text)
	} else {
		l, r.pos = rest[:i], r.pos+i+1
	}
	r.line++
	return string(bytes.TrimSuffix(l, []byte("\r"))), true
}

// isQP reports whether a property line's parameters say quoted-printable.
func isQP(l string) bool {
	head, _, ok := strings.Cut(l, ":")
	if !ok || !strings.Contains(head, ";") {
		return false // no parameters
	}
	for i := 0; i+len(qpName) <= len(head); i++ {
		if strings.EqualFold(head[i:i+len(qpName)], qpName) {
			return true
		}
	}
	return false
}

const qpName = "QUOTED-PRINTABLE"

// parseProp reads "group.NAME;param=value;...:value".
func parseProp(l string, line int, version string) (Prop, error) {
	p := Prop{Line: line, v21: strings.HasPrefix(version, "2")}
	colon := paramEnd(l)
	if colon < 0 {
		return p, lineError(line, "vcf.noprop", clip(l))
	}
	head, value := l[:colon], l[colon+1:]
	name, params, _ := strings.Cut(head, ";")
	if g, n, ok := strings.Cut(name, "."); ok {
		p.Group, name = g, n
	}
	p.Name = strings.ToUpper(strings.TrimSpace(name))
	if p.Name == "" || strings.ContainsAny(p.Name, " \t\"") {
		return p, lineError(line, "vcf.badname", clip(head))
	}
	if params != "" {
		p.Params = map[string][]string{}
		parseParams(params, p.Params)
	}
	enc := strings.ToUpper(first(p.Params["ENCODING"]))
	charset := first(p.Params["CHARSET"])
	delete(p.Params, "ENCODING")
	delete(p.Params, "CHARSET")
	switch enc {
	case "QUOTED-PRINTABLE":
		raw := decodeQP(value)
		s, fault := decodeCharset(raw, charset)
		if fault != "" {
			return p, lineError(line, fault, p.Name, charset)
		}
		p.Value = s
	case "B", "BASE64":
		p.Binary = true
		p.Value = strings.Join(strings.Fields(value), "")
		if _, err := base64.StdEncoding.DecodeString(p.Value); err != nil && p.Name != "PHOTO" && p.Name != "LOGO" {
			// Photos are not kept, so damaged photo data does not matter.
			return p, lineError(line, "vcf.base64", p.Name)
		}
	default:
		p.Value = value
	}
	if len(p.Value) >= 5 && strings.EqualFold(p.Value[:5], "data:") {
		p.Binary = true // vCard 4.0's inline data: a data: URI
	}
	return p, nil
}

// paramEnd returns the index of the colon that ends the name and
// parameters, skipping colons inside quoted parameter values.
func paramEnd(l string) int {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	return -1
}

// parseParams reads "TYPE=work,voice;PREF=1;CELL" into ps.
func parseParams(s string, ps map[string][]string) {
	for _, part := range splitOutsideQuotes(s, ';') {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if label, ok := androidLabel(part); ok {
			ps["TYPE"] = append(ps["TYPE"], label)
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			// vCard 2.1: a bare value names its parameter by what it is.
			switch u := strings.ToUpper(part); u {
			case "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT":
				ps["ENCODING"] = append(ps["ENCODING"], u)
			default:
				ps["TYPE"] = append(ps["TYPE"], strings.ToLower(part))
			}
			continue
		}
		k = strings.ToUpper(strings.TrimSpace(k))
		for _, val := range splitOutsideQuotes(v, ',') {
			val = caretDecode(strings.Trim(strings.TrimSpace(val), `"`))
			if k != "TYPE" {
				if val != "" {
					ps[k] = append(ps[k], val)
				}
				continue
			}
			// TYPE="work,voice" lists two types, as RFC 6350's examples write it.
			for _, t := range strings.Split(val, ",") {
				if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
					ps[k] = append(ps[k], t)
				}
			}
		}
	}
}

// androidLabel reads the custom label Android writes as a parameter:
// "X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=E5=8A=A9=E7=90=86)".
func androidLabel(param string) (string, bool) {
	inner, ok := strings.CutPrefix(strings.ToUpper(param[:min(len(param), 9)]), "X-CUSTOM(")
	if !ok || inner != "" || !strings.HasSuffix(param, ")") {
		return "", false
	}
	parts := strings.Split(param[9:len(param)-1], ",")
	label := parts[len(parts)-1]
	charset := ""
	qp := false
	for _, p := range parts[:len(parts)-1] {
		k, v, _ := strings.Cut(p, "=")
		switch strings.ToUpper(k) {
		case "CHARSET":
			charset = v
		case "ENCODING":
			qp = strings.EqualFold(v, "QUOTED-PRINTABLE")
		}
	}
	if qp {
		if s, fault := decodeCharset(decodeQP(label), charset); fault == "" {
			label = s
		}
	}
	return strings.ToLower(strings.TrimSpace(label)), true
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, last := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[last:i])
				last = i + 1
			}
		}
	}
	return append(out, s[last:])
}

// caretDecode undoes RFC 6868's escapes in a parameter value.
func caretDecode(s string) string {
	if !strings.Contains(s, "^") {
		return s
	}
	return strings.NewReplacer("^^", "^", "^n", "\n", "^N", "\n", "^'", `"`).Replace(s)
}

// decodeQP undoes quoted-printable. Sequences that are not "=" and two
// hex digits are kept as they are: phones write them.
func decodeQP(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) {
			if h, ok := unhex(s[i+1]); ok {
				if l, ok := unhex(s[i+2]); ok {
					out = append(out, h<<4|l)
					i += 2
					continue
				}
			}
		}
		out = append(out, s[i])
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeCharset turns bytes in the named charset into UTF-8 (UTF-8 when
// unnamed). When it cannot, it returns the key of the reason, a message
// of the property's name and the charset.
func decodeCharset(b []byte, charset string) (string, string) {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs == "" || cs == "utf-8" || cs == "utf8" {
		return string(b), ""
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return "", "vcf.charset.unknown"
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", "vcf.charset.bad"
	}
	return string(out), ""
}

func first(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "..."
	}
	return s
}
