// Package e164 reads phone numbers into E.164 form, giving exactly what
// github.com/nyaruka/phonenumbers gives (Parse in a default region, then
// IsValidNumber, then Format in E164) for the forms address books write:
// ASCII digits with spaces, dashes, dots and brackets, and a leading "+".
//
// phonenumbers matches each number against a dozen regular expressions
// of its metadata, about 30 µs a number, which made reading phone numbers
// the costliest step of importing a contact book. This package follows
// the same steps with the same metadata, but matches the patterns with
// digit automata compiled once per region (regexp still decides the rare
// national and international prefixes it finds): well under a
// microsecond a number. Numbers of any other form (letters, extensions,
// other scripts' digits, RFC 3966 URIs, an unknown country code after
// "+") are reported unknown, for the caller to ask phonenumbers.
package e164

import "strings"

// Read returns the E.164 form of number read in region (an upper-case
// region code such as "CN") and whether it is a valid number, as
// phonenumbers says. known is false when the number has a form Read
// leaves to phonenumbers.
func Read(number, region string) (e164 string, valid, known bool) {
	plus, digits, ok := scan(number)
	if !ok {
		return "", false, false
	}
	load()
	def := geoRegion(region)
	if def == nil || def.broken {
		return "", false, false // an unsupported region: phonenumbers says why
	}
	cc, nsn, res := parse(plus, digits, def)
	if res != parsed {
		return "", false, res == invalid
	}
	v, ok := isValid(cc, nsn)
	if !ok {
		return "", false, false
	}
	if !v {
		return "", false, true
	}
	return "+" + itoa(cc) + nsn, true, true
}

// maxDigits bounds the digits Read reads: more can be no valid number,
// which phonenumbers reports in its own way.
const maxDigits = 24

// scan reads the number's digits and whether a "+" precedes them. ok is
// false for any character but ASCII digits, spaces, "-", ".", "(", ")"
// and one "+" before the digits, and for fewer than three digits (which
// phonenumbers' viability check treats apart).
func scan(s string) (plus bool, digits string, ok bool) {
	if len(s) > 250 {
		return false, "", false
	}
	var buf [maxDigits]byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return false, "", false
			}
			buf[n] = c
			n++
		case c == '+':
			if plus || n > 0 {
				return false, "", false
			}
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false, "", false
		}
	}
	if n < 3 {
		return false, "", false
	}
	return plus, string(buf[:n]), true
}

type outcome int

const (
	parsed outcome = iota
	invalid
	unknown
)

// parse follows phonenumbers' parseHelper for a number of digits: the
// country code (after "+", after an international prefix, or the default
// region's at the start of a number too long without it), the national
// prefix, and the national significant number that remains.
func parse(plus bool, digits string, def *region) (cc int, nsn string, res outcome) {
	meta, extracted := def, true
	if plus {
		if cc, nsn = extractCountryCode(digits); cc == 0 {
			return 0, "", unknown // phonenumbers tries again without the "+"
		}
	} else if rest, idd := def.stripIDD(digits); idd {
		if len(rest) <= 2 {
			return 0, "", invalid // too short after the international prefix
		}
		if cc, nsn = extractCountryCode(rest); cc == 0 {
			return 0, "", invalid // no such country code
		}
	} else {
		cc, nsn, extracted = def.cc, digits, false
		if strings.HasPrefix(digits, def.ccText) {
			pot := def.stripNationalPrefix(digits[len(def.ccText):])
			if (!def.general.pattern.full(digits) && def.general.pattern.full(pot)) || def.testLength(digits) == tooLong {
				nsn, extracted = pot, true
			}
		}
	}
	if extracted {
		if main := mainRegion(cc); main != def.id {
			if meta = regionOrCallingCode(cc, main); meta != nil && meta.broken {
				return 0, "", unknown
			}
		}
	}
	if len(nsn) < 2 {
		return 0, "", invalid
	}
	if meta != nil {
		pot := meta.stripNationalPrefix(nsn)
		switch meta.testLength(pot) {
		case tooShort, localOnly, invalidLength:
		default:
			nsn = pot
		}
	}
	if len(nsn) < 2 || len(nsn) > 17 {
		return 0, "", invalid
	}
	return cc, nsn, parsed
}

// extractCountryCode splits the country code (1 to 3 digits that
// phonenumbers knows) from the digits; 0 when there is none.
func extractCountryCode(digits string) (int, string) {
	if len(digits) == 0 || digits[0] == '0' {
		return 0, ""
	}
	cc := 0
	for i := 1; i <= 3 && i <= len(digits); i++ {
		cc = cc*10 + int(digits[i-1]-'0')
		if _, ok := tables.ccRegions[cc]; ok {
			return cc, digits[i:]
		}
	}
	return 0, ""
}

// mainRegion is phonenumbers' GetRegionCodeForCountryCode.
func mainRegion(cc int) string {
	if r := tables.ccRegions[cc]; len(r) > 0 {
		return r[0]
	}
	return "ZZ"
}

// stripIDD removes the region's international prefix from the start of
// the digits, unless a 0 follows it (no country code starts with 0).
func (r *region) stripIDD(digits string) (string, bool) {
	if !r.idd.prefix(digits) {
		return "", false
	}
	ind := r.iddRe.FindStringIndex(digits)
	if ind == nil || ind[0] != 0 {
		return "", false
	}
	rest := digits[ind[1]:]
	if len(rest) > 0 && rest[0] == '0' {
		return "", false
	}
	return rest, true
}

// stripNationalPrefix is phonenumbers' maybeStripNationalPrefixAndCarrierCode:
// it removes (or rewrites, by the region's transform rule) a national
// prefix, unless that turns a number that fits the region's pattern into
// one that does not.
func (r *region) stripNationalPrefix(num string) string {
	if len(num) == 0 || r.natPrefix == nil || !r.natPrefix.prefix(num) {
		return num
	}
	viable := r.general.pattern.full(num)
	groups := r.natPrefixRe.FindStringSubmatchIndex(num)
	last := len(groups)/2 - 1
	if r.natTransform == "" || groups[last*2] < 0 {
		if viable && !r.general.pattern.full(num[groups[1]:]) {
			return num
		}
		return num[groups[1]:]
	}
	t := r.natPrefixRe.ReplaceAllString(num, r.natTransform)
	if viable && !r.general.pattern.full(t) {
		return num
	}
	return t
}

type lengthResult int

const (
	possible lengthResult = iota
	localOnly
	tooShort
	tooLong
	invalidLength
)

// testLength is phonenumbers' testNumberLength for the general
// description.
func (r *region) testLength(num string) lengthResult {
	pl := r.generalLengths
	if len(pl) == 0 || pl[0] == -1 {
		return invalidLength
	}
	n := int32(len(num))
	for _, l := range r.localLengths {
		if l == n {
			return localOnly
		}
	}
	switch {
	case pl[0] == n:
		return possible
	case pl[0] > n:
		return tooShort
	case pl[len(pl)-1] < n:
		return tooLong
	}
	for _, l := range pl[1:] {
		if l == n {
			return possible
		}
	}
	return invalidLength
}

// isValid is phonenumbers' IsValidNumber: the number is of a known type
// in the region its country code and leading digits point to. ok is
// false when a region's patterns could not be compiled.
func isValid(cc int, nsn string) (valid, ok bool) {
	id := ""
	switch regions := tables.ccRegions[cc]; len(regions) {
	case 0:
	case 1:
		id = regions[0]
	default:
		for _, rid := range regions {
			r := geoRegion(rid)
			if r == nil || r.broken {
				return false, false
			}
			if r.leading != nil {
				if r.leading.prefix(nsn) {
					id = rid
					break
				}
			} else if r.hasType(nsn) {
				id = rid
				break
			}
		}
	}
	r := regionOrCallingCode(cc, id)
	switch {
	case r == nil:
		return false, true
	case r.broken:
		return false, false
	case id != nonGeoRegion && cc != r.cc:
		return false, true
	}
	return r.hasType(nsn), true
}

// hasType reports whether phonenumbers' getNumberTypeHelper finds a type
// for the number: it fits the general pattern and one type's.
func (r *region) hasType(nsn string) bool {
	if !r.general.matches(nsn) {
		return false
	}
	for i := range r.types {
		if r.types[i].matches(nsn) {
			return true
		}
	}
	if r.fixed.matches(nsn) {
		return true
	}
	return !r.sameMobileAndFixedLine && r.mobile.matches(nsn)
}

func itoa(n int) string {
	var b [4]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}
