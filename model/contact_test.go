package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bob@Example.COM", "bob@example.com"},
		{"  a@b.co ", "a@b.co"},
		{"<a@b.co>", "a@b.co"},
		{"first.last+tag@sub.example.org", "first.last+tag@sub.example.org"},
		{"root@localhost", "root@localhost"},
		{"张伟@例子.中国", "张伟@例子.中国"},
	}
	for _, tt := range tests {
		got, err := NormalizeEmail(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"Bob <b@x.com>", `"Bob" <b@x.com>`, "b@x", "not an email", "a@b.co, c@d.co", "", "@x.com", "a@"} {
		got, err := NormalizeEmail(in)
		if err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error", in, got)
			continue
		}
		expectInvalid(t, err, "email")
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, region, want string
		ok               bool
	}{
		{"138 0013 8000", "CN", "+8613800138000", true},
		{"13800138000", "cn", "+8613800138000", true},
		{"１３８ ００１３ ８０００", "CN", "+8613800138000", true},
		{"010 8765 4321", "CN", "+861087654321", true},
		{"(415) 555-0100", "US", "+14155550100", true},
		{"(415) 555-0100", "", "+14155550100", true}, // US is the default region
		{"+86 138 0013 8000", "US", "+8613800138000", true},
		{"020 7946 0000", "GB", "+442079460000", true},
		{"8765 4321", "CN", "", false}, // no area code: E.164 would be a made-up number
		{"12345", "CN", "", false},
		{"555-0100", "US", "", false},
		{"n/a", "CN", "", false},
		{"", "CN", "", false},
		{"   ", "CN", "", false},
		{"13800138000", "XX", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in, tt.region)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, %v", tt.in, tt.region, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPhoneDigits(t *testing.T) {
	for in, want := range map[string]string{"+86 138-0013 8000": "8613800138000", "１３８": "138", "ext.": "", "": "",
		"+8613800138000": "8613800138000", "13800138000": "13800138000", "+": "", "+1 (555) 0100": "15550100"} {
		if got := PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeTags(t *testing.T) {
	tests := []struct{ in, want []string }{
		{nil, []string{}},
		{[]string{" vip ", "VIP", "", "  ", "Lead", "vip", "lead"}, []string{"vip", "Lead"}},
		{[]string{"客户", "客户"}, []string{"客户"}},
	}
	for _, tt := range tests {
		if got := NormalizeTags(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NormalizeTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !HasTag([]string{"VIP"}, "vip") || HasTag([]string{"VIP"}, "vi") || HasTag(nil, "vip") {
		t.Error("HasTag does not match tags ignoring case")
	}
}

func TestContactNormalize(t *testing.T) {
	cn := Rules{Region: "CN", Currency: "CNY"}
	tests := []struct {
		name  string
		in    Contact
		rules Rules
		want  Contact
	}{
		{
			name: "trims and fills tags",
			in:   Contact{Name: "  张伟 ", Title: " CEO "},
			want: Contact{Name: "张伟", Title: "CEO", Tags: []string{}},
		},
		{
			name: "emails lower-cased, de-duplicated, blanks dropped",
			in: Contact{Name: "a", Emails: []Email{
				{Address: "Bob@X.com", Label: " work "}, {Address: "bob@x.COM", Label: "home"}, {Address: "  "}, {Address: "c@x.com"},
			}},
			want: Contact{Name: "a", Tags: []string{}, Emails: []Email{{Address: "bob@x.com", Label: "work"}, {Address: "c@x.com"}}},
		},
		{
			name: "phones to E.164 keeping the original, duplicates dropped",
			in: Contact{Name: "a", Phones: []Phone{
				{Number: "138 0013 8000", Label: "mobile"},
				{Original: "+86 138-0013-8000"},
				{Number: "8765 4321"},
				{Number: "8765 4321"},
				{Number: ""},
			}},
			want: Contact{Name: "a", Tags: []string{}, Phones: []Phone{
				{Number: "+8613800138000", Original: "138 0013 8000", Label: "mobile"},
				{Number: "8765 4321"},
			}},
		},
		{
			name:  "a number already in E.164 is not re-read in another region",
			in:    Contact{Name: "a", Phones: []Phone{{Number: "+8613800138000", Original: "138 0013 8000"}}},
			rules: Rules{Region: "US"},
			want:  Contact{Name: "a", Tags: []string{}, Phones: []Phone{{Number: "+8613800138000", Original: "138 0013 8000"}}},
		},
		{
			name:  "an edited number wins over a stale original",
			in:    Contact{Name: "a", Phones: []Phone{{Number: "+8613900139000", Original: "138 0013 8000"}}},
			rules: cn,
			want:  Contact{Name: "a", Tags: []string{}, Phones: []Phone{{Number: "+8613900139000", Original: "138 0013 8000"}}},
		},
		{
			name: "empty lists become nil",
			in: Contact{Name: "a", Emails: []Email{}, Phones: []Phone{}, Custom: map[string]string{},
				Addresses: []Address{}, Links: []string{}},
			want: Contact{Name: "a", Tags: []string{}},
		},
		{
			name: "tags, lifecycle and custom fields",
			in: Contact{Name: "a", Tags: []string{"vip", " VIP ", ""}, Lifecycle: " Lead ",
				Custom: map[string]string{" wechat ": "zw", "": "dropped"}},
			want: Contact{Name: "a", Tags: []string{"vip"}, Lifecycle: "lead", Custom: map[string]string{"wechat": "zw"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := tt.rules
			if rules == (Rules{}) {
				rules = cn
			}
			c := tt.in
			if err := c.Normalize(rules); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", c, tt.want)
			}
			again := c
			if err := again.Normalize(rules); err != nil || !reflect.DeepEqual(again, c) {
				t.Fatalf("normalising twice gives %+v, %v", again, err)
			}
		})
	}
}

func TestContactNormalizeErrors(t *testing.T) {
	tests := []struct {
		name  string
		c     Contact
		field string
	}{
		{"no name", Contact{Name: "  "}, "name"},
		{"display name in email", Contact{Name: "a", Emails: []Email{{Address: "Bob <b@x.com>"}}}, "email"},
		{"bad email", Contact{Name: "a", Emails: []Email{{Address: "b@"}}}, "email"},
		{"phone without digits", Contact{Name: "a", Phones: []Phone{{Number: "call me"}}}, "phone"},
		{"unknown lifecycle", Contact{Name: "a", Lifecycle: "vip"}, "lifecycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectInvalid(t, tt.c.Normalize(Rules{Region: "CN"}), tt.field)
		})
	}
}

func TestContactAccessors(t *testing.T) {
	c := Contact{Emails: []Email{{Address: "a@x.com"}, {Address: "b@x.com"}}, Phones: []Phone{{Number: "+8613800138000"}}}
	if got := c.EmailAddresses(); !reflect.DeepEqual(got, []string{"a@x.com", "b@x.com"}) {
		t.Errorf("EmailAddresses() = %q", got)
	}
	if got := c.PhoneNumbers(); !reflect.DeepEqual(got, []string{"+8613800138000"}) {
		t.Errorf("PhoneNumbers() = %q", got)
	}
}

func TestAddress(t *testing.T) {
	a := Address{Label: "work", Street: " 1 Main St ", City: "Springfield", Country: "US"}
	if got := a.String(); got != "1 Main St, Springfield, US" {
		t.Errorf("String() = %q", got)
	}
	if a.IsZero() || !(Address{Label: "home"}).IsZero() {
		t.Error("IsZero should look at the parts of the address, not its label")
	}
}

func fullContact(t *testing.T) Contact {
	t.Helper()
	c := Contact{
		ID:        NewID(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		Name:      "张伟",
		Emails:    []Email{{Address: "zw@example.com", Label: "work"}, {Address: "z@x.cn"}},
		Phones:    []Phone{{Number: "138 0013 8000", Label: "mobile"}, {Number: "8765 4321"}},
		CompanyID: NewID(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		Title:     "CEO",
		Tags:      []string{"vip", "客户"},
		Source:    "referral",
		Owner:     "li",
		Lifecycle: LifecycleFormation,
		Custom:    map[string]string{"wechat": "zw88", "tier": "A"},
		Birthday:  Date{1985, time.March, 4},
		Addresses: []Address{{Label: "office", Street: "1 Rd", City: "上海", Country: "CN"}},
		Links:     []string{"https://example.com/zw"},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC),
		UpdatedAt: time.Date(2026, 2, 2, 3, 4, 5, 0, time.UTC),
	}
	if err := c.Normalize(Rules{Region: "CN"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// roundTripJSON marshals v, unmarshals it into a new T and returns that
// and the JSON.
func roundTripJSON[T any](t *testing.T, v T) (T, map[string]json.RawMessage) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var got T
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	return got, keys
}

func TestContactJSON(t *testing.T) {
	for name, c := range map[string]Contact{"full": fullContact(t), "bare": {Name: "a", Tags: []string{}}} {
		t.Run(name, func(t *testing.T) {
			got, keys := roundTripJSON(t, c)
			if !reflect.DeepEqual(got, c) {
				t.Errorf("round trip\ngot  %+v\nwant %+v", got, c)
			}
			var emails, phones []string
			_ = json.Unmarshal(keys["emails"], &emails)
			_ = json.Unmarshal(keys["phones"], &phones)
			if !reflect.DeepEqual(emails, c.EmailAddresses()) || !reflect.DeepEqual(phones, c.PhoneNumbers()) {
				t.Errorf("emails %s, phones %s: want plain lists %q, %q", keys["emails"], keys["phones"], c.EmailAddresses(), c.PhoneNumbers())
			}
			for _, k := range []string{"id", "name", "emails", "phones", "email_details", "phone_details", "tags", "created_at", "updated_at"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("no %q key in %v", k, keys)
				}
			}
		})
	}
	c := fullContact(t)
	b, _ := json.Marshal(c)
	if !strings.Contains(string(b), `"phones":["+8613800138000","8765 4321"]`) ||
		!strings.Contains(string(b), `"birthday":"1985-03-04"`) {
		t.Errorf("unexpected JSON %s", b)
	}
	b, _ = json.Marshal(Contact{Name: "a"})
	for _, want := range []string{`"emails":[]`, `"phones":[]`, `"email_details":[]`, `"phone_details":[]`, `"tags":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}

func TestContactUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, in string
		emails   []Email
		phones   []Phone
	}{
		{"plain lists", `{"name":"a","emails":["a@x.com"],"phones":["+8613800138000"]}`,
			[]Email{{Address: "a@x.com"}}, []Phone{{Number: "+8613800138000"}}},
		{"details win", `{"name":"a","emails":["old@x.com"],"email_details":[{"address":"new@x.com","label":"w"}],"phones":["1"],"phone_details":[]}`,
			[]Email{{Address: "new@x.com", Label: "w"}}, nil},
		{"empty", `{"name":"a","emails":[],"phones":[]}`, nil, nil},
		{"absent", `{"name":"a"}`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Contact
			if err := json.Unmarshal([]byte(tt.in), &c); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Emails, tt.emails) || !reflect.DeepEqual(c.Phones, tt.phones) {
				t.Errorf("emails %+v phones %+v; want %+v %+v", c.Emails, c.Phones, tt.emails, tt.phones)
			}
		})
	}
	var c Contact
	if err := json.Unmarshal([]byte(`{"name":1}`), &c); err == nil {
		t.Error("a number for a name was accepted")
	}
}

// Company tests live here: a company is the organisation contacts belong to.

func TestCompanyNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   Company
		want Company
	}{
		{"trims and fills tags", Company{Name: " Acme "}, Company{Name: "Acme", Tags: []string{}}},
		{"domain from a URL", Company{Name: "a", Domain: " https://www.Example.com/about "}, Company{Name: "a", Domain: "example.com", Tags: []string{}}},
		{"domain", Company{Name: "a", Domain: "HTTP://Example.cn/"}, Company{Name: "a", Domain: "example.cn", Tags: []string{}}},
		{"a label alone is no address", Company{Name: "a", Address: Address{Label: "hq"}}, Company{Name: "a", Tags: []string{}}},
		{"tags and custom", Company{Name: "a", Tags: []string{"b2b", "B2B"}, Custom: map[string]string{}},
			Company{Name: "a", Tags: []string{"b2b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			if err := c.Normalize(Rules{}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, tt.want) {
				t.Fatalf("got %+v, want %+v", c, tt.want)
			}
		})
	}
	expectInvalid(t, (&Company{Name: ""}).Normalize(Rules{}), "name")
	expectInvalid(t, (&Company{Name: "a", Domain: "two words.com"}).Normalize(Rules{}), "domain")
	expectInvalid(t, (&Company{Name: "a", Domain: "me@example.com"}).Normalize(Rules{}), "domain")
}

func fullCompany() Company {
	return Company{
		ID: NewID(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), Name: "Acme", Domain: "acme.com", Industry: "tools",
		Size: "11-50", Phone: "+14155550100", Address: Address{Label: "hq", Street: "1 Main", City: "SF", Country: "US"},
		Tags: []string{"b2b"}, Owner: "li", Custom: map[string]string{"erp": "42"},
		CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
	}
}

func TestCompanyJSON(t *testing.T) {
	for _, c := range []Company{fullCompany(), {Name: "bare", Tags: []string{}}} {
		if got, _ := roundTripJSON(t, c); !reflect.DeepEqual(got, c) {
			t.Errorf("round trip\ngot  %+v\nwant %+v", got, c)
		}
	}
}
