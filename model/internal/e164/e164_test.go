package e164

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// reference is what Read must agree with: phonenumbers itself.
func reference(number, region string) (string, bool) {
	n, err := phonenumbers.Parse(number, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// check compares Read with phonenumbers; it returns whether Read knew
// the form.
func check(t testing.TB, number, region string) bool {
	t.Helper()
	got, valid, known := Read(number, region)
	if !known {
		return false
	}
	want, wantValid := reference(number, region)
	if got != want || valid != wantValid {
		t.Errorf("Read(%q, %q) = %q, %v; phonenumbers: %q, %v", number, region, got, valid, want, wantValid)
	}
	return true
}

func TestReadKnownForms(t *testing.T) {
	for _, c := range []struct {
		number, region string
		known          bool
	}{
		{"+1 201 555 0123", "CN", true},
		{"13012345678", "CN", true},
		{"+86 21 6001 2345", "CN", true},
		{"021-6001 2345", "CN", true},
		{"(415) 555-0199", "US", true},
		{"+44 (0)20 7946 0000", "US", true},
		{"0044 20 7946 0000", "DE", true},
		{"011 44 20 7946 0000", "US", true},
		{"8613012345678", "CN", true},
		{"555-0123", "US", true},
		{"12", "US", false},                      // too few digits for the viability rule
		{"+1 415 555 0199 ext. 12", "US", false}, // an extension
		{"1-800-FLOWERS", "US", false},           // letters
		{"１３０１２３４５６７８", "CN", false},             // full-width digits
		{"+0 123 456 789", "US", false},          // phonenumbers tries again without the "+"
		{"tel:+1-415-555-0199", "US", false},
		{"13012345678", "XX", false},
	} {
		if known := check(t, c.number, c.region); known != c.known {
			t.Errorf("Read(%q, %q): known %v, want %v", c.number, c.region, known, c.known)
		}
	}
}

// TestReadAgreesWithPhonenumbers reads every region's example numbers,
// written the ways people write them, and random digits, in many
// default regions, and compares each result with phonenumbers'.
func TestReadAgreesWithPhonenumbers(t *testing.T) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for r := range phonenumbers.GetSupportedRegions() {
		all = append(all, r)
	}
	slices.Sort(all)
	defaults := []string{"CN", "US", "GB", "DE", "FR", "JP", "IN", "BR", "AR", "MX", "IT", "RU", "AU", "HK", "TW", "SG", "KR", "CA", "AG", "GG", "MG", "JP", "GA", "CC", "NF", "SM", "CI", "BJ"}
	rng := rand.New(rand.NewPCG(1, 2))
	seps := []string{"", " ", "-", ".", " (", ") "}
	spell := func(digits string) string {
		var b strings.Builder
		for i, d := range digits {
			if i > 0 && rng.IntN(3) == 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteRune(d)
		}
		return b.String()
	}
	n, known := 0, 0
	try := func(number, region string) {
		n++
		if check(t, number, region) {
			known++
		}
	}
	step := 1
	if testing.Short() {
		step = 7
	}
	for i, m := range coll.GetMetadata() {
		if i%step != 0 {
			continue
		}
		cc := fmt.Sprint(m.GetCountryCode())
		for _, d := range []*phonenumbers.PhoneNumberDesc{m.GetGeneralDesc(), m.GetFixedLine(), m.GetMobile(), m.GetTollFree(),
			m.GetPremiumRate(), m.GetSharedCost(), m.GetVoip(), m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail()} {
			ex := d.GetExampleNumber()
			if ex == "" {
				continue
			}
			np := m.GetNationalPrefix()
			home := m.GetId()
			if home == "001" {
				home = "US"
			}
			for _, region := range []string{home, defaults[rng.IntN(len(defaults))], all[rng.IntN(len(all))]} {
				try(ex, region)
				try(np+ex, region)
				try("+"+cc+" "+spell(ex), region)
				try("+"+cc+" ("+np+") "+spell(ex), region)
				try("00"+cc+ex, region)
				try("011 "+cc+" "+ex, region)
				try(cc+ex, region)
				try(spell(ex[:len(ex)-1]), region)
				try(ex+"1", region)
			}
		}
	}
	for range 20000 / step {
		l := 3 + rng.IntN(16)
		var b strings.Builder
		if rng.IntN(4) == 0 {
			b.WriteString("+")
		}
		for range l {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		try(spell(b.String()), defaults[rng.IntN(len(defaults))])
	}
	t.Logf("%d numbers, %d read without phonenumbers", n, known)
	if known < n*9/10 {
		t.Errorf("only %d of %d numbers read without phonenumbers", known, n)
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"+1 201 555 0123", "13012345678", "021-6001 2345", "(415) 555-0199", "0044 20 7946 0000", "+44 (0)20 7946 0000"} {
		f.Add(s, uint8(0))
	}
	regions := []string{"CN", "US", "GB", "DE", "AR", "BR", "AG", "JP", "MX", "IT"}
	f.Fuzz(func(t *testing.T, number string, r uint8) {
		check(t, number, regions[int(r)%len(regions)])
	})
}

func BenchmarkRead(b *testing.B) {
	for _, c := range []struct{ number, region string }{
		{"+1 201 200 0000", "CN"}, {"13012345678", "CN"}, {"+86 21 6001 2345", "CN"}, {"(415) 555-0199", "US"},
	} {
		b.Run(c.number, func(b *testing.B) {
			for b.Loop() {
				Read(c.number, c.region)
			}
		})
	}
}
