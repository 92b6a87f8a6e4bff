package vcf

import "strings"

// Text returns the value as text, its escapes undone.
func (p *Prop) Text() string { return unescape(p.Value, p.v21) }

// Parts returns the components of a structured value (N, ADR, ORG),
// split at the semicolons that are not escaped.
func (p *Prop) Parts() []string { return p.split(';') }

// List returns the items of a list value (CATEGORIES, NICKNAME), split at
// the commas that are not escaped.
func (p *Prop) List() []string { return p.split(',') }

func (p *Prop) split(sep byte) []string {
	var out []string
	last := 0
	for i := 0; i < len(p.Value); i++ {
		switch p.Value[i] {
		case '\\':
			i++
		case sep:
			out = append(out, unescape(p.Value[last:i], p.v21))
			last = i + 1
		}
	}
	return append(out, unescape(p.Value[last:], p.v21))
}

// Types returns the property's TYPE values, lower case.
func (p *Prop) Types() []string { return p.Params["TYPE"] }

// unescape undoes vCard's backslash escapes: \n, \, \; and \\ (in vCard
// 2.1, only \; is an escape; other backslashes are text).
func unescape(s string, v21 bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		switch {
		case n == ';':
			b.WriteByte(';')
		case v21:
			b.WriteByte(c)
			continue
		case n == 'n' || n == 'N':
			b.WriteByte('\n')
		case n == ',' || n == '\\':
			b.WriteByte(n)
		default:
			b.WriteByte(c)
			continue
		}
		i++
	}
	return b.String()
}
