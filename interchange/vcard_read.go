package interchange

import (
	"errors"
	"strings"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/interchange/vcf"
	"github.com/rolo-crm/rolo/model"
)

// openVCard returns the stream of a vCard file's cards, each read as a
// contact. The file is split into cards on one goroutine; the workers
// parse them.
func openVCard(env *readerEnv, text []byte) (*source, error) {
	rd := vcf.NewReader(text)
	first := rd.NextRaw()
	if first == nil {
		return nil, invalidf("%s: no vCard in the file (no BEGIN:VCARD)", env.file)
	}
	produce := func(send func(*batch) bool) error {
		b := &batch{}
		for card := first; card != nil; card = rd.NextRaw() {
			if b.cards = append(b.cards, card); len(b.cards) == batchSize {
				if !send(b) {
					return nil
				}
				b = &batch{}
			}
		}
		if len(b.cards) > 0 {
			send(b)
		}
		return nil
	}
	work := func(b *batch) {
		b.contacts = make([]contactItem, len(b.cards))
		for i, card := range b.cards {
			var n int
			b.contacts[i], n = cardContact(card.Parse())
			b.photos += n
		}
		b.cards = nil
		prepare(env, b.contacts)
	}
	return &source{in: &input{format: "vcard"}, produce: produce, work: work}, nil
}

// skippedProps are bookkeeping of the program that wrote the card, not
// facts about the person.
var skippedProps = map[string]bool{
	"PRODID": true, "REV": true, "KIND": true, "CLIENTPIDMAP": true, "X-ABUID": true, "X-ABLABEL": true,
	"X-ABSHOWAS": true, "SORT-STRING": true, "SOURCE": true, "NAME": true, "MAILER": true, "LABEL": true,
	"XML": true, "PROFILE": true, "X-ABADR": true,
}

// cardContact turns a card into a contact; it also returns how many
// inline photos (or other binary data) it left out.
func cardContact(card *vcf.Card) (contactItem, int) {
	ci := contactItem{line: card.Line}
	if card.Err != nil {
		var le *vcf.LineError
		if errors.As(card.Err, &le) {
			ci.line = le.Line
		}
		ci.err = cardFaults{{err: card.Err}}
		return ci, 0
	}
	b := cardBuilder{ci: &ci}
	for i := range card.Props {
		if p := &card.Props[i]; p.Name == "X-ABLABEL" && p.Group != "" {
			if b.labels == nil {
				b.labels = map[string]string{}
			}
			b.labels[strings.ToLower(p.Group)] = appleLabel(p.Text())
		}
	}
	for i := range card.Props {
		b.prop(&card.Props[i])
	}
	c := &ci.c
	if c.Name == "" {
		c.Name = composeName(b.given, b.additional, b.family)
	}
	if c.Name == "" && b.nickname != "" {
		c.Name, b.nickname = b.nickname, ""
	}
	if b.nickname != "" {
		setCustom(&b.custom, "nickname", b.nickname)
	}
	ci.derivedName = fallbackName(c)
	if c.Name == "" {
		b.faults = append(b.faults, cardFault{err: noName})
	}
	c.Custom = nilIfEmpty(b.custom)
	if len(b.faults) > 0 {
		ci.err = b.faults
	}
	return ci, b.binary
}

// noName rejects a card without a name, an email or a phone.
var noName = &msgError{i18n.Msg{Key: "import.vcard.noname"}}

// cardFaults are why a card is rejected.
type cardFaults []cardFault

// cardFault is one reason: a fault of the card as a whole, or of one of
// its properties (at its own line when it is not the first fault).
type cardFault struct {
	prop string
	line int
	err  error
}

func (e cardFaults) Error() string { return e.In(i18n.English) }

// Unwrap makes the command exit 2, as for any bad input.
func (e cardFaults) Unwrap() error { return model.ErrInvalid }

// In returns the reasons in language l.
func (e cardFaults) In(l i18n.Lang) string {
	parts := make([]string, len(e))
	for i, f := range e {
		parts[i] = errorIn(f.err, l)
		if f.prop != "" {
			parts[i] = l.T("import.prop.err", f.prop, parts[i])
		}
		if f.line != 0 {
			parts[i] = l.T("import.at.line", parts[i], f.line)
		}
	}
	return strings.Join(parts, l.T("import.separator"))
}

// msgError is an error whose message is chosen before its language is
// known.
type msgError struct{ msg i18n.Msg }

func (e *msgError) Error() string         { return e.msg.In(i18n.English) }
func (e *msgError) In(l i18n.Lang) string { return e.msg.In(l) }

type cardBuilder struct {
	ci                        *contactItem
	labels                    map[string]string // X-ABLabel by group
	custom                    map[string]string
	family, given, additional string
	nickname                  string
	binary                    int
	faults                    cardFaults
}

// fail notes a property that cannot be read; the card is reported at
// the line of its first such property.
func (b *cardBuilder) fail(p *vcf.Prop, err error) {
	f := cardFault{prop: p.Name, err: err}
	if len(b.faults) == 0 {
		b.ci.line = p.Line
	} else {
		f.line = p.Line
	}
	b.faults = append(b.faults, f)
}

// prop reads one property into the contact.
func (b *cardBuilder) prop(p *vcf.Prop) {
	c := &b.ci.c
	if p.Binary {
		b.binary++
		return
	}
	switch p.Name {
	case "FN":
		c.Name = strings.TrimSpace(p.Text())
	case "N":
		parts := p.Parts()
		b.family, b.given, b.additional = part(parts, 0), part(parts, 1), part(parts, 2)
		if v := part(parts, 3); v != "" {
			setCustom(&b.custom, "prefix", v)
		}
		if v := part(parts, 4); v != "" {
			setCustom(&b.custom, "suffix", v)
		}
	case "NICKNAME":
		b.nickname = strings.Join(nonEmpty(p.List()), ", ")
	case "ORG":
		parts := nonEmpty(p.Parts())
		if len(parts) > 0 {
			b.ci.company = parts[0]
		}
		if len(parts) > 1 {
			setCustom(&b.custom, "department", strings.Join(parts[1:], " / "))
		}
	case "TITLE":
		c.Title = strings.TrimSpace(p.Text())
	case "EMAIL":
		b.email(p)
	case "TEL":
		b.phone(p)
	case "ADR":
		b.address(p)
	case "URL":
		if u := strings.TrimSpace(p.Text()); u != "" {
			c.Links = append(c.Links, u)
		}
	case "BDAY":
		b.birthday(p)
	case "NOTE":
		if n := strings.TrimSpace(p.Text()); n != "" {
			b.ci.notes = append(b.ci.notes, n)
		}
	case "CATEGORIES":
		c.Tags = append(c.Tags, nonEmpty(p.List())...)
	case "UID":
		if id := strings.TrimPrefix(strings.TrimSpace(p.Text()), "urn:uuid:"); model.LooksLikeID(id) {
			c.ID, _ = model.ParseID(id) // rolo's own export: keep the record's id
		}
	case "X-ROLO-SOURCE":
		c.Source = p.Text()
	case "X-ROLO-OWNER":
		c.Owner = p.Text()
	case "X-ROLO-LIFECYCLE":
		c.Lifecycle = lifecycleOf(p.Text())
	case "X-ROLO-CUSTOM":
		setCustom(&b.custom, firstParam(p, "X-NAME"), p.Text())
	case "X-ANDROID-CUSTOM":
		// "vnd.android.cursor.item/nickname;Fang;1;;..." : a kind and its value
		parts := p.Parts()
		kind := part(parts, 0)
		if i := strings.LastIndex(kind, "/"); i >= 0 {
			kind = kind[i+1:]
		}
		if v := part(parts, 1); v != "" && kind == "nickname" && b.nickname == "" {
			b.nickname = v
		} else if v != "" {
			setCustom(&b.custom, kind, v)
		}
	case "IMPP":
		scheme, handle, ok := strings.Cut(p.Text(), ":")
		if !ok {
			scheme, handle = "impp", p.Text()
		}
		setCustom(&b.custom, strings.ToLower(scheme), handle)
	default:
		b.other(p)
	}
}

// other keeps a property rolo has no field for as a custom field named
// after it ("X-WECHAT" is "wechat"), unless it is bookkeeping.
func (b *cardBuilder) other(p *vcf.Prop) {
	if skippedProps[p.Name] || strings.HasPrefix(p.Name, "X-ROLO-") {
		return
	}
	v := strings.TrimSpace(p.Text())
	if v == "" {
		return
	}
	key := strings.ToLower(strings.TrimPrefix(p.Name, "X-"))
	if p.Name == "PHOTO" || p.Name == "LOGO" {
		key = strings.ToLower(p.Name) // a link to a picture, worth keeping
	}
	setCustom(&b.custom, key, v)
}

func (b *cardBuilder) email(p *vcf.Prop) {
	addr := strings.TrimSpace(strings.TrimPrefix(p.Text(), "mailto:"))
	if addr == "" {
		return
	}
	n, err := model.NormalizeEmail(addr)
	if err != nil {
		b.fail(p, err)
		return
	}
	b.ci.c.Emails = append(b.ci.c.Emails, model.Email{Address: n, Label: b.label(p)})
}

func (b *cardBuilder) phone(p *vcf.Prop) {
	num := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.Text()), "tel:"))
	if num == "" {
		return
	}
	if model.PhoneDigits(num) == "" {
		b.fail(p, noDigits(num))
		return
	}
	b.ci.c.Phones = append(b.ci.c.Phones, model.Phone{Number: num, Label: b.label(p)})
}

func (b *cardBuilder) address(p *vcf.Prop) {
	parts := p.Parts()
	street := strings.Join(nonEmpty([]string{part(parts, 2), part(parts, 1), part(parts, 0)}), ", ")
	a := model.Address{Label: b.label(p), Street: street, City: part(parts, 3), Region: part(parts, 4),
		Postcode: part(parts, 5), Country: part(parts, 6)}
	if !a.IsZero() {
		b.ci.c.Addresses = append(b.ci.c.Addresses, a)
	}
}

func (b *cardBuilder) birthday(p *vcf.Prop) {
	v := strings.TrimSpace(p.Text())
	d, err := parseDay(v)
	if err != nil && len(v) == 6 && strings.HasPrefix(v, "--") {
		err = errNoYear // --MMDD
	}
	switch {
	case errors.Is(err, errNoYear):
		setCustom(&b.custom, "birthday", v)
	case err != nil:
		b.fail(p, relabel(err, "birthday"))
	default:
		b.ci.c.Birthday = d
	}
}

// label is the label of an email, phone or address: Apple's X-ABLabel,
// else the first telling TYPE ("cell" reads "mobile").
func (b *cardBuilder) label(p *vcf.Prop) string {
	if l := b.labels[strings.ToLower(p.Group)]; l != "" {
		return l
	}
	types := p.Types()
	for _, want := range []string{"cell", "fax", "pager"} {
		for _, t := range types {
			if t == want {
				return labelOf(t)
			}
		}
	}
	for _, t := range types {
		if l := labelOf(strings.TrimPrefix(t, "x-")); l != "" {
			return l
		}
	}
	return ""
}

// appleLabel reads Apple's label form "_$!<Mobile>!$_".
func appleLabel(s string) string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "_$!<"), ">!$_")
	return labelOf(s)
}

func firstParam(p *vcf.Prop, name string) string {
	if v := p.Params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func part(parts []string, i int) string {
	if i < len(parts) {
		return strings.TrimSpace(parts[i])
	}
	return ""
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
