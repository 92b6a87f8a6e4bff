package interchange

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/interchange/csvmap"
	"github.com/rolo-crm/rolo/model"
)

// rowBuilder turns the rows of a mapped CSV file into records.
type rowBuilder struct {
	env *readerEnv
	m   *csvmap.Mapping
	in  *input
	cur row // the row being read, its maps reused from row to row
}

// cell is a value with the column it came from.
type cell struct {
	text   string
	label  string
	group  string
	header string
}

// row gathers one row's values by field before they become records.
type row struct {
	line       int
	single     map[csvmap.Field]cell
	emails     []cell
	phones     []cell
	labels     map[string]string // label of an email, phone or address group
	addrs      map[string]*addrCells
	addrOrder  []string
	tags       []string
	dealTags   []string
	links      []string
	notes      []string
	custom     map[string]string
	dealCustom map[string]string
	coCustom   map[string]string
	pairKeys   map[string]string // custom field name by group
	pairVals   map[string]string
	pairOrder  []string
	errs       rowErrors
}

type addrCells struct {
	label                             string
	street                            []string
	oneLine, city, region, post, ctry string
}

func (r *row) fail(header string, err error) {
	var fe *model.FieldError
	if errors.As(err, &fe) {
		err = fe // the column says where; the context around it adds nothing
	}
	r.errs = append(r.errs, colError{header, err})
}

func (r *row) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return r.errs
}

// rowErrors are the reasons one row was refused, each with its column.
// They read in English, or in another language through In (Problem.In).
type rowErrors []colError

type colError struct {
	header string // "" when the reason is about the whole row
	err    error
}

func (e rowErrors) Error() string { return e.In(i18n.English) }

// Unwrap makes the command exit 2, as for any bad input.
func (e rowErrors) Unwrap() error { return model.ErrInvalid }

// In returns the reasons in language l, "; " between them.
func (e rowErrors) In(l i18n.Lang) string {
	parts := make([]string, len(e))
	for i, c := range e {
		parts[i] = model.ErrorIn(c.err, l)
		if c.header != "" {
			parts[i] = l.T("import.col.err", c.header, parts[i])
		}
	}
	return strings.Join(parts, l.T("import.separator"))
}

// setCustom keeps v under key in *m (made when nil); a second, different
// value of the same key gets a numbered key, never replacing the first.
func setCustom(mp *map[string]string, key, v string) {
	if *mp == nil {
		*mp = map[string]string{}
	}
	m := *mp
	key = strings.TrimSpace(key)
	if key == "" {
		key = "custom"
	}
	if old, ok := m[key]; ok && old != v {
		for n := 2; ; n++ {
			k := fmt.Sprintf("%s (%d)", key, n)
			if old, ok := m[k]; !ok || old == v {
				key = k
				break
			}
		}
	}
	m[key] = v
}

// reset readies r for the next row: the lookup maps are kept, emptied;
// the maps a record keeps (custom fields) are made when needed.
func (r *row) reset(line int) {
	if r.single == nil {
		r.single, r.labels, r.addrs = map[csvmap.Field]cell{}, map[string]string{}, map[string]*addrCells{}
		r.pairKeys, r.pairVals = map[string]string{}, map[string]string{}
	}
	clear(r.single)
	clear(r.labels)
	clear(r.addrs)
	clear(r.pairKeys)
	clear(r.pairVals)
	*r = row{line: line, single: r.single, labels: r.labels, addrs: r.addrs, pairKeys: r.pairKeys, pairVals: r.pairVals}
}

// row reads one record of the file.
func (b *rowBuilder) row(line int, rec []string) {
	r := &b.cur
	r.reset(line)
	empty := true
	for _, col := range b.m.Columns {
		if col.Index >= len(rec) {
			continue
		}
		v := strings.TrimSpace(rec[col.Index])
		if v == "" || noDates[v] || slices.ContainsFunc(col.Quiet, func(q string) bool { return strings.EqualFold(q, v) }) {
			continue
		}
		empty = false
		b.put(r, col, v)
	}
	if empty {
		return // a row of empty cells is no record
	}
	contact := -1
	if hasPerson(r) || !b.m.DealRows {
		ci := b.contact(r)
		if d, ok := r.single[csvmap.Deleted]; ok && isTrue(d.text) {
			ci.skip = true
		}
		b.in.contacts = append(b.in.contacts, ci)
		contact = len(b.in.contacts) - 1
	}
	if _, ok := r.single[csvmap.DealTitle]; ok || b.m.DealRows {
		b.in.deals = append(b.in.deals, b.deal(r, contact))
	}
}

func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "y", "是":
		return true
	}
	return false
}

func hasPerson(r *row) bool {
	for _, f := range []csvmap.Field{csvmap.Name, csvmap.FirstName, csvmap.LastName, csvmap.Nickname} {
		if _, ok := r.single[f]; ok {
			return true
		}
	}
	return len(r.emails) > 0 || len(r.phones) > 0
}

// put files one cell's value under its field.
func (b *rowBuilder) put(r *row, col csvmap.Column, v string) {
	tg := col.Target
	custom := tg.Field == csvmap.Custom || tg.Field == csvmap.DealCustom || tg.Field == csvmap.CompanyCustom ||
		tg.Field == csvmap.CustomValue || tg.Field == csvmap.Notes
	if !custom && isPlaceholder(v) {
		return
	}
	c := cell{text: v, label: tg.Label, group: tg.Group, header: col.Header}
	switch tg.Field {
	case csvmap.Ignore:
	case csvmap.Email:
		r.emails = append(r.emails, c)
	case csvmap.Phone:
		r.phones = append(r.phones, c)
	case csvmap.EmailLabel, csvmap.PhoneLabel:
		r.labels[tg.Group] = v
	case csvmap.Tags:
		r.tags = append(r.tags, tagsIn(v)...)
	case csvmap.DealTags:
		r.dealTags = append(r.dealTags, tagsIn(v)...)
	case csvmap.Link:
		r.links = append(r.links, splitList(v, ' ', '\t')...)
	case csvmap.Notes:
		r.notes = append(r.notes, v)
	case csvmap.Custom:
		setCustom(&r.custom, tg.Label, v)
	case csvmap.DealCustom:
		setCustom(&r.dealCustom, tg.Label, v)
	case csvmap.CompanyCustom:
		setCustom(&r.coCustom, tg.Label, v)
	case csvmap.Prefix, csvmap.Suffix, csvmap.Department:
		setCustom(&r.custom, string(tg.Field), v)
	case csvmap.CustomKey:
		r.pairKeys[tg.Group] = v
		r.pair(tg.Group)
	case csvmap.CustomValue:
		r.pairVals[tg.Group] = v
		r.pair(tg.Group)
	case csvmap.Address, csvmap.Street, csvmap.City, csvmap.Region, csvmap.Postcode, csvmap.Country, csvmap.AddrLabel:
		r.address(tg, v)
	default:
		if old, ok := r.single[tg.Field]; ok && old.text != v {
			// A second column for the same field: kept, not dropped.
			dst := &r.custom
			if tg.Field.IsDeal() {
				dst = &r.dealCustom
			}
			setCustom(dst, col.Header, v)
			return
		} else if ok {
			return
		}
		r.single[tg.Field] = c
	}
}

func (r *row) pair(group string) {
	if !slices.Contains(r.pairOrder, group) {
		r.pairOrder = append(r.pairOrder, group)
	}
}

func (r *row) address(tg csvmap.Target, v string) {
	a, ok := r.addrs[tg.Group]
	if !ok {
		a = &addrCells{label: tg.Label}
		r.addrs[tg.Group] = a
		r.addrOrder = append(r.addrOrder, tg.Group)
	}
	switch tg.Field {
	case csvmap.AddrLabel:
		a.label = v
	case csvmap.Address:
		a.oneLine = v
	case csvmap.Street:
		a.street = append(a.street, v)
	case csvmap.City:
		a.city = v
	case csvmap.Region:
		a.region = v
	case csvmap.Postcode:
		a.post = v
	case csvmap.Country:
		a.ctry = v
	}
}

func (r *row) text(f csvmap.Field) string { return r.single[f].text }

// contact builds the row's contact.
func (b *rowBuilder) contact(r *row) contactItem {
	ci := contactItem{line: r.line, company: r.text(csvmap.Company), notes: r.notes}
	c := &ci.c
	c.Name = r.text(csvmap.Name)
	if c.Name == "" {
		c.Name = composeName(r.text(csvmap.FirstName), r.text(csvmap.MiddleName), r.text(csvmap.LastName))
	}
	if nick := r.text(csvmap.Nickname); nick != "" {
		if c.Name == "" {
			c.Name = nick
		} else {
			setCustom(&r.custom, "nickname", nick)
		}
	}
	for _, e := range r.emails {
		list, err := emailsIn(e.text)
		if err != nil {
			r.fail(e.header, err)
			continue
		}
		for _, x := range list {
			if x.Label == "" { // an inline label ("work:a@b") is the user's own: kept as written
				x.Label = labelOf(firstNonEmpty(r.labels[e.group], e.label))
			}
			c.Emails = append(c.Emails, x)
		}
	}
	for _, p := range r.phones {
		list, err := phonesIn(p.text)
		if err != nil {
			r.fail(p.header, err)
			continue
		}
		for _, x := range list {
			if x.Label == "" {
				x.Label = labelOf(firstNonEmpty(r.labels[p.group], p.label))
			}
			c.Phones = append(c.Phones, x)
		}
	}
	if ref := r.text(csvmap.DealContact); c.Name == "" && ref != "" {
		c.Name, _ = splitRef(ref) // a deal export's row: the person the deal is with
	}
	slices.SortStableFunc(c.Phones, func(a, b model.Phone) int { return phoneRank(a.Label) - phoneRank(b.Label) })
	ci.derivedName = fallbackName(c)
	c.Title, c.Source, c.Owner = r.text(csvmap.Title), r.text(csvmap.Source), r.text(csvmap.Owner)
	if l := r.single[csvmap.Lifecycle]; l.text != "" {
		c.Lifecycle = lifecycleOf(l.text)
	}
	b.dates(r, c)
	c.Tags, c.Links = r.tags, r.links
	c.Addresses = r.addresses()
	for _, g := range r.pairOrder {
		if v := r.pairVals[g]; v != "" {
			setCustom(&r.custom, labelOf(r.pairKeys[g]), v)
		}
	}
	c.Custom = nilIfEmpty(r.custom)
	ci.companyCustom = nilIfEmpty(r.coCustom)
	for _, f := range []struct {
		field csvmap.Field
		dst   *model.ID
	}{{csvmap.ID, &c.ID}, {csvmap.CompanyID, &c.CompanyID}} {
		if v := r.single[f.field]; v.text != "" {
			id, err := model.ParseID(v.text)
			if err != nil {
				r.fail(v.header, &model.FieldError{Field: string(f.field), Value: v.text, Reason: "not a rolo id"})
			}
			*f.dst = id
		}
	}
	if c.Name == "" {
		r.fail("", errors.New("no name, email or phone: a contact needs at least one"))
	}
	ci.err = r.err()
	return ci
}

// dates reads the contact's birthday and timestamps.
func (b *rowBuilder) dates(r *row, c *model.Contact) {
	if bd := r.single[csvmap.Birthday]; bd.text != "" {
		d, err := parseDay(bd.text)
		switch {
		case errors.Is(err, errNoYear):
			setCustom(&r.custom, "birthday", bd.text) // rolo's birthdays have a year; keep the text
		case err != nil:
			r.fail(bd.header, relabel(err, "birthday"))
		default:
			c.Birthday = d
		}
	}
	for _, f := range []struct {
		field csvmap.Field
		dst   *time.Time
	}{{csvmap.CreatedAt, &c.CreatedAt}, {csvmap.UpdatedAt, &c.UpdatedAt}} {
		if v := r.single[f.field]; v.text != "" {
			t, err := parseTime(v.text)
			if err != nil {
				r.fail(v.header, relabel(err, string(f.field)))
			}
			*f.dst = t
		}
	}
}

func (r *row) addresses() []model.Address {
	var out []model.Address
	for _, g := range r.addrOrder {
		a := r.addrs[g]
		ad := model.Address{Label: labelOf(a.label), Street: strings.Join(a.street, ", "), City: a.city,
			Region: a.region, Postcode: a.post, Country: a.ctry}
		if ad.IsZero() {
			ad.Street = a.oneLine // only the formatted address was given
		}
		if !ad.IsZero() {
			out = append(out, ad)
		}
	}
	return out
}

// phoneRank puts fax and pager numbers after the ones people call.
func phoneRank(label string) int {
	if strings.Contains(label, "fax") || label == "pager" {
		return 1
	}
	return 0
}

// fallbackName names a contact the file gives no name after its first
// email or phone, and reports whether it did.
func fallbackName(c *model.Contact) bool {
	switch {
	case c.Name != "":
		return false
	case len(c.Emails) > 0:
		c.Name = c.Emails[0].Address
	case len(c.Phones) > 0:
		c.Name = c.Phones[0].Number
	default:
		return false
	}
	return true
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// relabel names the field of a parse error after what the cell is.
func relabel(err error, field string) error {
	var fe *model.FieldError
	if errors.As(err, &fe) {
		c := *fe
		c.Field = field
		return &c
	}
	return err
}
