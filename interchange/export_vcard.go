package interchange

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"

	"github.com/rolo-crm/rolo/interchange/vcf"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// ExportVCard writes every contact as a vCard 4.0 card: name, company,
// title, every email and phone with its type, addresses, links,
// birthday, tags as CATEGORIES and the contact's notes as NOTE; rolo's
// own fields (source, owner, lifecycle, custom fields) as X-ROLO-
// properties, which rolo reads back. UID is the contact's id, so
// importing the file into an empty database keeps the ids.
func ExportVCard(tx *store.Tx, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	vw := vcf.NewWriter(bw)
	names := newNameCache(tx)
	n := 0
	err := tx.EachContact(func(c *model.Contact) error {
		card, err := contactCard(tx, c, names)
		if err != nil {
			return err
		}
		n++
		return vw.Write(card)
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// telTypes are the vCard TYPEs of rolo's phone labels.
var telTypes = map[string]string{"mobile": vcard.TypeCell, "cell": vcard.TypeCell}

func contactCard(tx *store.Tx, c *model.Contact, names *nameCache) (vcard.Card, error) {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	card.SetValue(vcard.FieldUID, c.ID.String())
	card.SetValue(vcard.FieldFormattedName, c.Name)
	family, given := splitName(c.Name)
	card.SetName(&vcard.Name{FamilyName: vcf.Component(family), GivenName: vcf.Component(given)})
	if co := names.company(c.CompanyID); co != "" {
		card.SetValue(vcard.FieldOrganization, vcf.Component(co))
	}
	if c.Title != "" {
		card.SetValue(vcard.FieldTitle, c.Title)
	}
	for i, e := range c.Emails {
		card.Add(vcard.FieldEmail, typed(e.Address, e.Label, nil, i == 0))
	}
	for i, p := range c.Phones {
		card.Add(vcard.FieldTelephone, typed(p.Number, p.Label, telTypes, i == 0))
	}
	for _, a := range c.Addresses {
		f := typed("", a.Label, nil, false)
		card.AddAddress(&vcard.Address{Field: f, StreetAddress: vcf.Component(a.Street), Locality: vcf.Component(a.City),
			Region: vcf.Component(a.Region), PostalCode: vcf.Component(a.Postcode), Country: vcf.Component(a.Country)})
	}
	for _, l := range c.Links {
		card.AddValue(vcard.FieldURL, l)
	}
	if !c.Birthday.IsZero() {
		card.SetValue(vcard.FieldBirthday, fmt.Sprintf("%04d%02d%02d", c.Birthday.Year, c.Birthday.Month, c.Birthday.Day))
	}
	for _, t := range c.Tags {
		card.AddValue(vcard.FieldCategories, t) // one property per tag: the Encoder would escape a list's commas
	}
	notes, err := tx.Activities(store.ActivityQuery{ContactID: c.ID, Kind: model.KindNote})
	if err != nil {
		return nil, err
	}
	for i := len(notes) - 1; i >= 0; i-- { // oldest first
		card.AddValue(vcard.FieldNote, notes[i].Body)
	}
	for _, p := range []struct{ name, v string }{{"X-ROLO-SOURCE", c.Source}, {"X-ROLO-OWNER", c.Owner}, {"X-ROLO-LIFECYCLE", c.Lifecycle}} {
		if p.v != "" {
			card.SetValue(p.name, p.v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Custom)) {
		card.Add("X-ROLO-CUSTOM", &vcard.Field{Value: c.Custom[k], Params: vcard.Params{"X-NAME": {vcf.Param(k)}}})
	}
	return card, nil
}

// typed makes a field with the label as its TYPE (mapped through types)
// and PREF=1 on the first of its kind.
func typed(v, label string, types map[string]string, pref bool) *vcard.Field {
	f := &vcard.Field{Value: v, Params: vcard.Params{}}
	if label != "" {
		t := label
		if m, ok := types[label]; ok {
			t = m
		}
		f.Params.Set(vcard.ParamType, vcf.Param(t))
	}
	if pref {
		f.Params.Set(vcard.ParamPreferred, "1")
	}
	return f
}

// compoundSurnames are the two-character Chinese family names, so that
// 欧阳娜娜 splits as 欧阳 + 娜娜.
var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "司徒", "夏侯", "令狐", "端木"}

// splitName guesses the family and given names that vCard's N wants from
// rolo's one name field: a Chinese name's family name comes first, a
// Western one's last. A name of one word is the given name.
func splitName(name string) (family, given string) {
	name = strings.TrimSpace(name)
	if hasHan(name) && !strings.Contains(name, " ") && utf8.RuneCountInString(name) >= 2 {
		for _, s := range compoundSurnames {
			if strings.HasPrefix(name, s) && utf8.RuneCountInString(name) > 2 {
				return s, strings.TrimPrefix(name, s)
			}
		}
		_, size := utf8.DecodeRuneInString(name)
		return name[:size], name[size:]
	}
	if i := strings.LastIndex(name, " "); i > 0 {
		return name[i+1:], name[:i]
	}
	return "", name
}
