package csvmap

import (
	"regexp"
	"strings"
)

// layout is a known export: how to recognise its header row and what its
// columns mean where they differ from the common dictionary.
type layout struct {
	key, title string
	detect     func(h headerSet) bool
	column     func(norm string) (Target, bool)
	dealScope  bool                // unmapped columns are the deal's custom fields
	quiet      map[string][]string // per header: values that mean "not set" in this export
}

// headerSet is a header row, normalised, for detection.
type headerSet map[string]bool

func (h headerSet) all(names ...string) bool {
	for _, n := range names {
		if !h[n] {
			return false
		}
	}
	return true
}

func (h headerSet) any(names ...string) bool {
	for _, n := range names {
		if h[n] {
			return true
		}
	}
	return false
}

func (h headerSet) anyPrefix(prefixes ...string) bool {
	for n := range h {
		for _, p := range prefixes {
			if strings.HasPrefix(n, p) {
				return true
			}
		}
	}
	return false
}

func (h headerSet) anyMatch(re *regexp.Regexp) bool {
	for n := range h {
		if re.MatchString(n) {
			return true
		}
	}
	return false
}

// layouts are tried in order; the first whose detect accepts the header
// wins, and "plain" accepts any.
var layouts = []layout{
	{key: "rolo-contacts", title: "rolo contacts", detect: func(h headerSet) bool {
		return h.all("id", "name", "emails", "phones")
	}, column: roloContactColumn},
	{key: "rolo-deals", title: "rolo deals", dealScope: true, detect: func(h headerSet) bool {
		return h.all("id", "title", "stage", "amount", "currency")
	}, column: roloDealColumn},
	{key: "google", title: "Google Contacts", detect: func(h headerSet) bool {
		return h["first name"] && (h["labels"] || h.anyMatch(googlePair))
	}, column: googleColumn},
	{key: "google-legacy", title: "Google Contacts (legacy Google CSV)", detect: func(h headerSet) bool {
		return h.all("given name", "family name") && (h["group membership"] || h.anyMatch(googlePair))
	}, column: googleColumn},
	{key: "outlook", title: "Outlook", detect: func(h headerSet) bool {
		return h.all("first name", "e-mail address", "job title") && h.any("business phone", "mobile phone", "home phone")
	}, column: outlookColumn, quiet: map[string][]string{
		"priority": {"normal"}, "sensitivity": {"normal"}, "private": {"false"}, "gender": {"unspecified"},
		"e-mail type": {"smtp"}, "e-mail 2 type": {"smtp"}, "e-mail 3 type": {"smtp"},
	}},
	{key: "hubspot-deals", title: "HubSpot deals", dealScope: true, detect: func(h headerSet) bool {
		return h.all("record id", "deal name")
	}, column: hubspotDealColumn},
	{key: "hubspot", title: "HubSpot contacts", detect: func(h headerSet) bool {
		return h["record id"] && h.any("lifecycle stage", "contact owner", "email")
	}, column: hubspotColumn},
	{key: "salesforce", title: "Salesforce", detect: func(h headerSet) bool {
		return h["lastname"] && h.any("accountid", "leadsource", "mobilephone", "isdeleted", "ownerid")
	}, column: salesforceColumn},
	{key: "pipedrive", title: "Pipedrive", detect: func(h headerSet) bool {
		return h.anyPrefix("person - ", "deal - ", "organization - ", "organisation - ")
	}, column: pipedriveColumn},
	{key: "plain", detect: func(headerSet) bool { return true }}, // no title: no known export
}

// googlePair matches Google's numbered column families: "e-mail 1 -
// value", "phone 2 - label", "address 1 - city", "custom field 1 - value".
var googlePair = regexp.MustCompile(`^(e-mail|email|phone|address|website|relation|event|custom field|organization|im|external id) (\d+) - (.+)$`)

func googleColumn(norm string) (Target, bool) {
	switch norm {
	case "labels", "group membership":
		return t(Tags, ""), true
	case "organization name":
		return t(Company, ""), true
	case "organization title":
		return t(Title, ""), true
	case "organization department":
		return t(Department, ""), true
	case "name":
		return t(Name, ""), true
	}
	m := googlePair.FindStringSubmatch(norm)
	if m == nil {
		return Target{}, false
	}
	family, n, part := m[1], m[2], m[3]
	group := func(f Field) (Target, bool) { return Target{Field: f, Group: family + n}, true }
	switch family {
	case "e-mail", "email":
		switch part {
		case "value":
			return group(Email)
		case "label", "type":
			return group(EmailLabel)
		}
	case "phone":
		switch part {
		case "value":
			return group(Phone)
		case "label", "type":
			return group(PhoneLabel)
		}
	case "address":
		switch part {
		case "label", "type":
			return group(AddrLabel)
		case "formatted":
			return group(Address)
		case "street", "po box", "extended address":
			return group(Street)
		case "city":
			return group(City)
		case "region":
			return group(Region)
		case "postal code":
			return group(Postcode)
		case "country":
			return group(Country)
		}
	case "website":
		switch part {
		case "value":
			return group(Link)
		case "label", "type":
			return group(Ignore) // rolo's links carry no label
		}
	case "relation", "event", "custom field", "im":
		switch part {
		case "label", "service":
			return group(CustomKey)
		case "value":
			return group(CustomValue)
		case "type":
			if family == "im" {
				return group(Ignore) // "Other", "Home": the service names the field
			}
			return group(CustomKey)
		}
	case "organization":
		if n == "1" {
			switch part {
			case "name":
				return t(Company, ""), true
			case "title":
				return t(Title, ""), true
			case "department":
				return t(Department, ""), true
			}
		}
	}
	return Target{}, false
}

func outlookColumn(norm string) (Target, bool) {
	switch norm {
	case "title":
		return t(Prefix, ""), true // Outlook's Title is "Mr." or "Dr."; the job is "Job Title"
	case "categories":
		return t(Tags, ""), true
	case "e-mail display name", "e-mail 2 display name", "e-mail 3 display name":
		return t(Ignore, ""), true // "Name (address)", made from the other columns
	case "account":
		return Target{}, false // an account number, not a company
	}
	for _, a := range []struct{ prefix, label string }{{"business", "work"}, {"home", "home"}, {"other", "other"}} {
		rest, ok := strings.CutPrefix(norm, a.prefix+" ")
		if !ok {
			continue
		}
		var f Field
		switch rest {
		case "street", "street 2", "street 3", "address po box":
			f = Street
		case "city":
			f = City
		case "state":
			f = Region
		case "postal code":
			f = Postcode
		case "country/region", "country":
			f = Country
		default:
			continue
		}
		return Target{Field: f, Label: a.label, Group: a.prefix}, true
	}
	return Target{}, false
}

func hubspotColumn(norm string) (Target, bool) {
	switch norm {
	case "associated company":
		return t(Company, ""), true
	case "phone number":
		return t(Phone, "work"), true
	case "website url":
		return t(Link, ""), true
	case "street address":
		return t(Street, ""), true
	}
	return Target{}, false
}

func hubspotDealColumn(norm string) (Target, bool) {
	switch norm {
	case "deal name":
		return t(DealTitle, ""), true
	case "deal stage":
		return t(DealStage, ""), true
	case "amount":
		return t(DealAmount, ""), true
	case "close date":
		return t(DealCloseDate, ""), true
	case "deal owner":
		return t(DealOwner, ""), true
	case "create date":
		return t(DealCreatedAt, ""), true
	case "associated contact":
		return t(DealContact, ""), true
	case "associated company":
		return t(Company, ""), true
	case "closed lost reason":
		return t(DealLostReason, ""), true
	case "deal currency code", "currency":
		return t(DealCurrency, ""), true
	case "deal description", "description":
		return t(Notes, ""), true
	case "deal type", "pipeline", "record id":
		return Target{}, false
	}
	// Everything else in a deals export describes the deal.
	return Target{}, false
}

func salesforceColumn(norm string) (Target, bool) {
	switch norm {
	case "name":
		return t(Name, ""), true
	case "salutation":
		return t(Prefix, ""), true
	case "phone":
		return t(Phone, "work"), true
	case "mobilephone":
		return t(Phone, "mobile"), true
	case "homephone":
		return t(Phone, "home"), true
	case "otherphone":
		return t(Phone, "other"), true
	case "assistantphone":
		return t(Phone, "assistant"), true
	case "fax":
		return t(Phone, "fax"), true
	case "leadsource":
		return t(Source, ""), true
	case "birthdate":
		return t(Birthday, ""), true
	case "description":
		return t(Notes, ""), true
	case "createddate":
		return t(CreatedAt, ""), true
	case "isdeleted":
		return t(Deleted, ""), true
	case "id":
		return t(Custom, "salesforce_id"), true
	case "accountid":
		return t(Custom, "salesforce_account_id"), true
	case "ownerid":
		return t(Custom, "salesforce_owner_id"), true
	case "createdbyid", "lastmodifiedbyid", "lastmodifieddate", "systemmodstamp", "lastvieweddate",
		"lastreferenceddate", "masterrecordid", "photourl", "jigsaw", "jigsawcontactid", "cleanstatus":
		return t(Ignore, ""), true // audit columns of Salesforce's own bookkeeping
	}
	for _, a := range []struct{ prefix, label string }{{"mailing", "mailing"}, {"other", "other"}, {"", ""}} {
		rest, ok := strings.CutPrefix(norm, a.prefix)
		if !ok {
			continue
		}
		group := a.prefix
		if group == "" {
			group = "address"
		}
		switch rest {
		case "street":
			return Target{Field: Street, Label: a.label, Group: group}, true
		case "city":
			return Target{Field: City, Label: a.label, Group: group}, true
		case "state":
			return Target{Field: Region, Label: a.label, Group: group}, true
		case "postalcode":
			return Target{Field: Postcode, Label: a.label, Group: group}, true
		case "country":
			return Target{Field: Country, Label: a.label, Group: group}, true
		}
	}
	return Target{}, false
}

// pipedriveColumn reads Pipedrive's "Entity - Field" headers.
func pipedriveColumn(norm string) (Target, bool) {
	entity, field, ok := strings.Cut(norm, " - ")
	if !ok {
		return Target{}, false
	}
	switch entity {
	case "person":
		return pipedrivePerson(field)
	case "deal":
		return pipedriveDeal(field)
	case "organization", "organisation":
		if field == "name" {
			return t(Company, ""), true
		}
		return Target{Field: CompanyCustom}, true // the key is set from the header
	}
	return Target{}, false
}

func pipedrivePerson(field string) (Target, bool) {
	switch field {
	case "name":
		return t(Name, ""), true
	case "label":
		return t(Tags, ""), true
	case "organization", "organisation":
		return t(Company, ""), true
	case "postal address":
		return t(Address, ""), true
	case "add time":
		return t(CreatedAt, ""), true
	}
	if kind, label, ok := strings.Cut(field, " - "); ok {
		switch kind {
		case "email":
			return t(Email, label), true
		case "phone":
			return t(Phone, label), true
		}
	}
	if tg, ok := lookupCommon(field); ok && !tg.Field.IsDeal() {
		return tg, true
	}
	return Target{}, false
}

func pipedriveDeal(field string) (Target, bool) {
	switch field {
	case "title":
		return t(DealTitle, ""), true
	case "value":
		return t(DealAmount, ""), true
	case "currency", "currency of value":
		return t(DealCurrency, ""), true
	case "stage":
		return t(DealStage, ""), true
	case "status":
		return t(DealStatus, ""), true
	case "expected close date":
		return t(DealCloseDate, ""), true
	case "won time":
		return t(DealWonAt, ""), true
	case "lost time":
		return t(DealLostAt, ""), true
	case "lost reason":
		return t(DealLostReason, ""), true
	case "owner":
		return t(DealOwner, ""), true
	case "deal created", "add time":
		return t(DealCreatedAt, ""), true
	case "probability":
		return t(DealProb, ""), true
	case "label":
		return t(DealTags, ""), true
	case "source", "source channel", "source origin":
		return t(DealSource, ""), true
	case "organization", "organisation":
		return t(Company, ""), true
	case "contact person":
		return t(DealContact, ""), true
	}
	return Target{Field: DealCustom}, true
}

func roloContactColumn(norm string) (Target, bool) {
	switch norm {
	case "id":
		return t(ID, ""), true
	case "company id":
		return t(CompanyID, ""), true
	case "emails":
		return t(Email, ""), true
	case "phones":
		return t(Phone, ""), true
	case "links":
		return t(Link, ""), true
	case "created at":
		return t(CreatedAt, ""), true
	case "updated at":
		return t(UpdatedAt, ""), true
	case "lifecycle":
		return t(Lifecycle, ""), true
	}
	return roloAddressColumn(norm)
}

// roloAddressColumn reads rolo's address columns: "street" for the first
// address, "address 2 street" for the second.
func roloAddressColumn(norm string) (Target, bool) {
	n := "1"
	if rest, ok := strings.CutPrefix(norm, "address "); ok {
		if num, part, ok := strings.Cut(rest, " "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
			n, norm = num, part
			if norm == "label" {
				norm = "address label"
			}
		}
	}
	f := map[string]Field{"address label": AddrLabel, "street": Street, "city": City, "region": Region,
		"postcode": Postcode, "country": Country}[norm]
	if f == "" {
		return Target{}, false
	}
	return Target{Field: f, Group: "address" + n}, true
}

func roloDealColumn(norm string) (Target, bool) {
	f := map[string]Field{
		"id": DealID, "title": DealTitle, "contact id": DealContactID, "contact": DealContact,
		"company id": DealCompanyID, "company": Company, "stage": DealStage, "status": DealStatus,
		"amount": DealAmount, "currency": DealCurrency, "probability override": DealProb,
		"close date": DealCloseDate, "closed at": DealClosedAt, "lost reason": DealLostReason,
		"stage history": DealHistory, "owner": DealOwner, "source": DealSource, "tags": DealTags,
		"created at": DealCreatedAt, "updated at": DealUpdatedAt,
	}[norm]
	if f == "" {
		return Target{}, false
	}
	return t(f, ""), true
}
