// Package csvmap decides what each column of an imported spreadsheet
// holds. It recognises the header rows of the exports people bring
// (Google Contacts, Outlook, HubSpot, Salesforce, Pipedrive, rolo itself)
// and plain English or Chinese headers, and lets the user override any
// column with `--map COLUMN=field`. A column nothing recognises is kept as
// a custom field under its header; nothing is dropped unless the user
// says so.
package csvmap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rolo-crm/rolo/model"
)

// Field is the kind of value a column holds.
type Field string

// The fields a column can map to. Contact fields have plain names, deal
// fields the prefix "deal.".
const (
	Ignore Field = "ignore" // the column is not imported

	ID         Field = "id" // a rolo id (rolo's own CSV)
	Name       Field = "name"
	FirstName  Field = "first_name"
	MiddleName Field = "middle_name"
	LastName   Field = "last_name"
	Prefix     Field = "prefix"   // Mr., Dr.: kept as a custom field
	Suffix     Field = "suffix"   // Jr., PhD: kept as a custom field
	Nickname   Field = "nickname" // kept as a custom field
	Email      Field = "email"
	EmailLabel Field = "email_label" // the label of the email in the same group
	Phone      Field = "phone"
	PhoneLabel Field = "phone_label"
	Company    Field = "company"
	CompanyID  Field = "company_id" // a rolo company id (rolo's own CSV)
	Title      Field = "title"
	Department Field = "department" // kept as a custom field
	Tags       Field = "tags"
	Source     Field = "source"
	Owner      Field = "owner"
	Lifecycle  Field = "lifecycle"
	Birthday   Field = "birthday"
	Address    Field = "address" // a whole address on one line: kept as the street
	Street     Field = "street"
	City       Field = "city"
	Region     Field = "region"
	Postcode   Field = "postcode"
	Country    Field = "country"
	AddrLabel  Field = "address_label"
	Link       Field = "link"
	Notes      Field = "notes" // becomes a note in the contact's timeline
	Custom     Field = "custom"
	// CustomKey and CustomValue are paired columns (Google's "Custom Field
	// 1 - Label" and "- Value"): one names the field, the other holds it.
	CustomKey   Field = "custom_key"
	CustomValue Field = "custom_value"
	CreatedAt   Field = "created_at"
	UpdatedAt   Field = "updated_at"
	Deleted     Field = "deleted" // a row marked deleted (Salesforce IsDeleted) is skipped

	DealID         Field = "deal.id"
	DealTitle      Field = "deal.title"
	DealAmount     Field = "deal.amount"
	DealCurrency   Field = "deal.currency"
	DealStage      Field = "deal.stage"
	DealStatus     Field = "deal.status"
	DealCloseDate  Field = "deal.close_date"
	DealClosedAt   Field = "deal.closed_at"
	DealWonAt      Field = "deal.won_at"
	DealLostAt     Field = "deal.lost_at"
	DealLostReason Field = "deal.lost_reason"
	DealOwner      Field = "deal.owner"
	DealSource     Field = "deal.source"
	DealTags       Field = "deal.tags"
	DealCreatedAt  Field = "deal.created_at"
	DealUpdatedAt  Field = "deal.updated_at"
	DealProb       Field = "deal.probability"
	DealHistory    Field = "deal.stage_history"
	DealContact    Field = "deal.contact"    // the name (or "name (email)") of the deal's contact
	DealContactID  Field = "deal.contact_id" // a rolo contact id
	DealCompanyID  Field = "deal.company_id" // a rolo company id
	DealCustom     Field = "deal.custom"

	CompanyCustom Field = "company.custom" // a custom field of the contact's company
)

// fields lists every field --map accepts, with whether it takes a label
// (email:work) or a key (custom:wechat).
var fields = []struct {
	f     Field
	label bool
}{
	{Ignore, false}, {ID, false}, {Name, false}, {FirstName, false}, {MiddleName, false}, {LastName, false},
	{Prefix, false}, {Suffix, false}, {Nickname, false}, {Email, true}, {EmailLabel, false}, {Phone, true},
	{PhoneLabel, false}, {Company, false}, {CompanyID, false}, {Title, false}, {Department, false}, {Tags, false}, {Source, false},
	{Owner, false}, {Lifecycle, false}, {Birthday, false}, {Address, true}, {Street, true}, {City, true},
	{Region, true}, {Postcode, true}, {Country, true}, {AddrLabel, false}, {Link, false}, {Notes, false},
	{Custom, true}, {CustomKey, false}, {CustomValue, false}, {CreatedAt, false}, {UpdatedAt, false}, {Deleted, false},
	{DealID, false}, {DealTitle, false}, {DealAmount, false}, {DealCurrency, false}, {DealStage, false}, {DealStatus, false},
	{DealCloseDate, false}, {DealClosedAt, false}, {DealWonAt, false}, {DealLostAt, false}, {DealLostReason, false},
	{DealOwner, false}, {DealSource, false}, {DealTags, false}, {DealCreatedAt, false}, {DealUpdatedAt, false},
	{DealProb, false}, {DealHistory, false}, {DealContact, false}, {DealContactID, false}, {DealCompanyID, false},
	{DealCustom, true}, {CompanyCustom, true},
}

func (f Field) isCustom() bool { return f == Custom || f == DealCustom || f == CompanyCustom }

// IsDeal reports whether f belongs to a deal rather than a contact.
func (f Field) IsDeal() bool { return strings.HasPrefix(string(f), "deal.") }

// Target is where a column's values go.
type Target struct {
	Field Field
	// Label is the label of an email, phone or address ("work",
	// "mobile"), or the key of a custom field.
	Label string
	// Group ties columns that describe one thing: a label column with its
	// value column (Google's "E-mail 1 - Label" and "- Value"), the parts
	// of one address (Outlook's "Business Street", "Business City").
	Group string
}

// String writes the target in the form ParseTarget reads.
func (t Target) String() string {
	if t.Label == "" {
		return string(t.Field)
	}
	return string(t.Field) + ":" + t.Label
}

// ParseTarget reads a field as --map gives it: "email", "phone:mobile",
// "custom:wechat", "street:home", "deal.stage", "ignore". Its error wraps
// model.ErrInvalid and lists the fields.
func ParseTarget(s string) (Target, error) {
	name, label, hasLabel := strings.Cut(strings.TrimSpace(s), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	label = strings.TrimSpace(label)
	i := slices.IndexFunc(fields, func(x struct {
		f     Field
		label bool
	}) bool {
		return string(x.f) == name
	})
	switch {
	case i < 0:
		return Target{}, &model.FieldError{Field: "map", Value: s, Reason: "unknown field; one of " + FieldList()}
	case hasLabel && !fields[i].label:
		return Target{}, &model.FieldError{Field: "map", Value: s, Reason: fmt.Sprintf("%s takes no label", name)}
	case fields[i].f.isCustom() && label == "":
		return Target{}, &model.FieldError{Field: "map", Value: s, Reason: "a custom field needs a key: custom:KEY"}
	}
	t := Target{Field: fields[i].f, Label: label}
	if isAddressPart(t.Field) && label != "" {
		t.Group = "label:" + strings.ToLower(label) // street:home and city:home are one address
	}
	return t, nil
}

// FieldList lists the fields ParseTarget accepts, for help and errors.
func FieldList() string {
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		n := string(f.f)
		if f.label {
			if f.f.isCustom() {
				n += ":KEY"
			} else {
				n += "[:LABEL]"
			}
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

func isAddressPart(f Field) bool {
	switch f {
	case Address, Street, City, Region, Postcode, Country, AddrLabel:
		return true
	}
	return false
}
