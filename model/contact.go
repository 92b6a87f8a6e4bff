package model

import (
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/rolo-crm/rolo/model/internal/e164"
)

// Contact is a person the user sells to or works with.
type Contact struct {
	ID        ID                `json:"id"`
	Name      string            `json:"name"`
	Emails    []Email           `json:"-"`
	Phones    []Phone           `json:"-"`
	CompanyID ID                `json:"company_id,omitzero"`
	Title     string            `json:"title,omitempty"`
	Tags      []string          `json:"tags"`
	Source    string            `json:"source,omitempty"`
	Owner     string            `json:"owner,omitempty"`
	Lifecycle string            `json:"lifecycle,omitempty"`
	Custom    map[string]string `json:"custom,omitempty"`
	Birthday  Date              `json:"birthday,omitzero"`
	Addresses []Address         `json:"addresses,omitempty"`
	Links     []string          `json:"links,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Email is an address with an optional label such as "work" or "home".
type Email struct {
	Address string `json:"address"`
	Label   string `json:"label,omitempty"`
}

// Phone is a number in E.164 form when it could be parsed, with the text
// the user or the source file gave. Once Number is in E.164 form it is
// kept as is: normalising again, even with another default region, does
// not re-read Original. Whoever edits Number clears Original.
type Phone struct {
	Number   string `json:"number"`
	Original string `json:"original,omitempty"`
	Label    string `json:"label,omitempty"`
}

// Address is a postal address.
type Address struct {
	Label    string `json:"label,omitempty"`
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"`
}

// IsZero reports whether no part of the address is set.
func (a Address) IsZero() bool {
	return a.Street == "" && a.City == "" && a.Region == "" && a.Postcode == "" && a.Country == ""
}

// String joins the parts of the address on one line.
func (a Address) String() string {
	var parts []string
	for _, p := range []string{a.Street, a.City, a.Region, a.Postcode, a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Rules carries the settings that normalisation depends on.
type Rules struct {
	// Region is the ISO 3166 region used to read phone numbers written
	// without a country code, such as "CN" or "US".
	Region string
	// Currency is the ISO 4217 code used when an amount names none.
	Currency string
}

// EmailAddresses returns the contact's addresses in order.
func (c *Contact) EmailAddresses() []string {
	out := make([]string, len(c.Emails))
	for i, e := range c.Emails {
		out[i] = e.Address
	}
	return out
}

// PhoneNumbers returns the contact's numbers in order.
func (c *Contact) PhoneNumbers() []string {
	out := make([]string, len(c.Phones))
	for i, p := range c.Phones {
		out[i] = p.Number
	}
	return out
}

// Normalize validates c and puts its fields in canonical form: trimmed
// name, lower-case unique emails, E.164 phones, unique tags. Blank emails
// and phones are dropped; empty lists and maps become nil, except Tags,
// which is an empty list.
func (c *Contact) Normalize(r Rules) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return invalid("name", "", "model.contact.name")
	}
	c.Title = strings.TrimSpace(c.Title)
	var err error
	if c.Emails, err = normalizeEmails(c.Emails); err != nil {
		return err
	}
	if c.Phones, err = normalizePhones(c.Phones, r.Region); err != nil {
		return err
	}
	c.Tags = NormalizeTags(c.Tags)
	c.Lifecycle = strings.ToLower(strings.TrimSpace(c.Lifecycle))
	if c.Lifecycle != "" && !IsLifecycleStage(c.Lifecycle) {
		return invalid("lifecycle", c.Lifecycle, "model.lifecycle.unknown", strings.Join(LifecycleStages, ", "))
	}
	c.Custom = normalizeCustom(c.Custom)
	c.Addresses, c.Links = nilIfEmpty(c.Addresses), nilIfEmpty(c.Links)
	return nil
}

// NormalizeEmail validates an address and returns its canonical form
// (lower case, no display name).
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	addr := s
	if !plainAddress(s) {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
			return "", invalid("email", s, "model.email.invalid")
		}
		addr = a.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if !strings.Contains(addr[at+1:], ".") && addr[at+1:] != "localhost" {
		return "", invalid("email", s, "model.email.nodot")
	}
	return strings.ToLower(addr), nil
}

// plainAddress reports whether s is an address in its plain form,
// local@domain with both parts dot-atoms of ASCII characters: net/mail
// reads such an address as itself, and reading it costs more than the
// rest of a contact's normalisation.
func plainAddress(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && dotAtom(s[:at]) && dotAtom(s[at+1:])
}

// dotAtom reports whether s is atoms of RFC 5322 atext joined by single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func normalizeEmails(in []Email) ([]Email, error) {
	var out []Email
	for _, e := range in {
		if strings.TrimSpace(e.Address) == "" {
			continue
		}
		addr, err := NormalizeEmail(e.Address)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(out, func(x Email) bool { return x.Address == addr }) {
			continue
		}
		out = append(out, Email{Address: addr, Label: strings.TrimSpace(e.Label)})
	}
	return out, nil
}

// NormalizePhone returns the E.164 form of s read with the default region
// (US when empty), or ok=false when s does not read as a valid number of
// its region (the caller then keeps the original text). A number written
// without its area code ("8765 4321" in CN) is not valid: turning it into
// E.164 would make up a wrong number.
func NormalizePhone(s, region string) (e164 string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if region == "" {
		region = "US"
	}
	if isE164(s) {
		return s, true
	}
	if e, ok, known := readPlainPhone(s, strings.ToUpper(region)); known {
		return e, ok
	}
	key := region + "\x00" + s
	if r, ok := phoneMemo.get(key); ok {
		return r.e164, r.ok
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	ok = err == nil && phonenumbers.IsValidNumber(n)
	if ok {
		e164 = phonenumbers.Format(n, phonenumbers.E164)
	}
	phoneMemo.put(key, phoneResult{e164, ok})
	return e164, ok
}

// readPlainPhone reads the forms numbers usually take (digits, spaces,
// dashes, brackets, a leading "+") with phonenumbers' metadata but
// without its regular expressions: the same result ~50 times faster.
func readPlainPhone(s, region string) (number string, ok, known bool) {
	return e164.Read(s, region)
}

// isE164 reports whether s is already a number in E.164 form: "+", a
// country code and subscriber digits, 8 to 15 digits in all. Such a number
// is kept as it is: it is what NormalizePhone returns, and reading it again
// through phonenumbers costs ~30 µs for nothing on every save.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// phoneMemo remembers recent NormalizePhone results for the numbers
// e164.Read leaves to phonenumbers (letters, extensions, other scripts'
// digits). Reading one costs about 30 µs in phonenumbers' regular
// expressions, and a number is often read several times in one process:
// the CLI validates a contact, then the store normalises it again.
var phoneMemo = memo[phoneResult]{max: 1 << 17}

type phoneResult struct {
	e164 string
	ok   bool
}

// memo is a bounded, concurrency-safe cache: when full it starts afresh.
type memo[V any] struct {
	mu  sync.Mutex
	m   map[string]V
	max int
}

func (c *memo[V]) get(k string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memo[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[string]V, 1024)
	}
	c.m[k] = v
}

func normalizePhones(in []Phone, region string) ([]Phone, error) {
	var out []Phone
	for _, p := range in {
		// Read Number when set: an E.164 number reads the same in every
		// region, while Original might not.
		src, orig := strings.TrimSpace(p.Number), strings.TrimSpace(p.Original)
		if src == "" {
			src = orig
		}
		if orig == "" {
			orig = src
		}
		if src == "" {
			continue
		}
		if PhoneDigits(src) == "" {
			return nil, invalid("phone", src, "model.phone.nodigits")
		}
		num := src
		if e, ok := NormalizePhone(src, region); ok {
			num = e
		}
		if slices.ContainsFunc(out, func(x Phone) bool { return x.Number == num }) {
			continue
		}
		np := Phone{Number: num, Label: strings.TrimSpace(p.Label)}
		if orig != num {
			np.Original = orig
		}
		out = append(out, np)
	}
	return out, nil
}

// PhoneDigits returns only the digits of s, the form phone search and
// duplicate detection compare.
func PhoneDigits(s string) string {
	// The common cases cost no allocation: a number of digits only, or of
	// digits after a + (as numbers are stored).
	switch {
	case asciiDigits(s):
		return s
	case s[0] == '+' && asciiDigits(s[1:]):
		return s[1:]
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b = append(b, byte(r))
		} else if r >= '０' && r <= '９' {
			b = append(b, byte('0'+(r-'０')))
		}
	}
	return string(b)
}

// asciiDigits reports whether s is empty or holds only ASCII digits.
func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeTags trims, de-duplicates (case-insensitively) and drops empty tags,
// keeping the first spelling and order.
func NormalizeTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// HasTag reports whether tags holds t, ignoring case.
func HasTag(tags []string, t string) bool {
	return slices.ContainsFunc(tags, func(x string) bool { return strings.EqualFold(x, t) })
}

func normalizeCustom(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		k = strings.TrimSpace(k)
		if k != "" {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// nilIfEmpty returns nil for an empty list, the canonical form Normalize
// and UnmarshalJSON agree on.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
