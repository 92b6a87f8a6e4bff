package interchange

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/rolo-crm/rolo/model"
)

// localizePhones reads the numbers a record writes without a country code
// in the country the record itself names, when that is not the
// configured phone region: a US contact in a Google export holds
// "+1 415-555-0100" beside "(415) 555-0199", which read as a Chinese
// number would be a wrong one. The country comes from a number that has
// its country code, else from an address.
func localizePhones(c *model.Contact, region string) {
	local := false
	for _, p := range c.Phones {
		local = local || !international(p.Number)
	}
	if !local {
		return
	}
	hint := regionHint(c)
	if hint == "" || strings.EqualFold(hint, region) {
		return
	}
	for i, p := range c.Phones {
		n := strings.TrimSpace(p.Number)
		if n == "" || international(n) {
			continue
		}
		if e, ok := model.NormalizePhone(n, hint); ok {
			c.Phones[i].Number, c.Phones[i].Original = e, n
		}
	}
}

func international(n string) bool {
	n = strings.TrimSpace(n)
	return strings.HasPrefix(n, "+") || strings.HasPrefix(n, "00")
}

// regionHint returns the region of the record's first number with a
// country code, else of its first address's country.
func regionHint(c *model.Contact) string {
	for _, p := range c.Phones {
		if n := strings.TrimSpace(p.Number); strings.HasPrefix(n, "+") {
			if r := regionOfCallingCode(model.PhoneDigits(n)); r != "" {
				return r
			}
		}
	}
	for _, a := range c.Addresses {
		if r := regionOfCountry(a.Country); r != "" {
			return r
		}
	}
	return ""
}

// regionOfCallingCode returns the main region of the country calling
// code that digits start with (1 to 3 digits: "1", "44", "852").
func regionOfCallingCode(digits string) string {
	for n := 1; n <= 3 && n <= len(digits); n++ {
		cc := 0
		for _, d := range digits[:n] {
			cc = cc*10 + int(d-'0')
		}
		if r := phonenumbers.GetRegionCodeForCountryCode(cc); r != "" && r != "ZZ" && r != "001" {
			return r
		}
	}
	return ""
}

// countries maps the country names addresses use to regions.
var countries = map[string]string{
	"usa": "US", "united states": "US", "united states of america": "US", "america": "US", "美国": "US",
	"china": "CN", "中国": "CN", "中华人民共和国": "CN", "prc": "CN",
	"uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB", "英国": "GB",
	"germany": "DE", "deutschland": "DE", "德国": "DE", "france": "FR", "法国": "FR",
	"japan": "JP", "日本": "JP", "ireland": "IE", "spain": "ES", "españa": "ES", "italy": "IT",
	"hong kong": "HK", "香港": "HK", "taiwan": "TW", "台湾": "TW", "singapore": "SG", "新加坡": "SG",
	"canada": "CA", "australia": "AU", "india": "IN", "korea": "KR", "south korea": "KR", "韩国": "KR",
	"netherlands": "NL", "switzerland": "CH", "brazil": "BR", "mexico": "MX",
}

// regionOfCountry reads an address's country: a region code ("US",
// "cn") or a common name.
func regionOfCountry(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if r, ok := countries[n]; ok {
		return r
	}
	if len(n) == 2 && phonenumbers.GetCountryCodeForRegion(strings.ToUpper(n)) != 0 {
		return strings.ToUpper(n)
	}
	return ""
}
