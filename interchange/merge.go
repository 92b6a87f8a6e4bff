package interchange

import (
	"maps"
	"slices"
	"strings"

	"github.com/rolo-crm/rolo/model"
)

// fieldConflict is a field both records fill with different values; the
// record merged into keeps its own.
type fieldConflict struct {
	field, kept, other string
}

// merger collects what a merge changed and where it had to choose.
type merger struct {
	changed   bool
	conflicts []fieldConflict
}

// text fills *dst with src when *dst is empty; differing values are a
// conflict.
func (m *merger) text(field string, dst *string, src string) {
	switch {
	case src == "" || *dst == src:
	case *dst == "":
		*dst, m.changed = src, true
	case strings.EqualFold(*dst, src) && field == "name":
	default:
		m.conflicts = append(m.conflicts, fieldConflict{field, *dst, src})
	}
}

func (m *merger) strs(dst *[]string, src []string, eq func(a, b string) bool) {
	for _, s := range src {
		if !slices.ContainsFunc(*dst, func(x string) bool { return eq(x, s) }) {
			*dst = append(*dst, s)
			m.changed = true
		}
	}
}

func (m *merger) custom(dst *map[string]string, src map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(src)) {
		v := src[k]
		old, ok := (*dst)[k]
		switch {
		case !ok || old == "":
			if *dst == nil {
				*dst = map[string]string{}
			}
			(*dst)[k], m.changed = v, true
		case old != v:
			m.conflicts = append(m.conflicts, fieldConflict{"custom:" + k, old, v})
		}
	}
}

// mergeContact merges src into dst, both normalised: dst's empty fields
// take src's values; emails, phones, tags, addresses and links are
// united; a field both fill differently keeps dst's value and is reported.
// The company is the caller's: it resolves names to records.
func mergeContact(dst *model.Contact, src *model.Contact) merger {
	var m merger
	m.text("name", &dst.Name, src.Name)
	m.text("title", &dst.Title, src.Title)
	m.text("source", &dst.Source, src.Source)
	m.text("owner", &dst.Owner, src.Owner)
	m.text("lifecycle", &dst.Lifecycle, src.Lifecycle)
	switch {
	case src.Birthday.IsZero() || src.Birthday == dst.Birthday:
	case dst.Birthday.IsZero():
		dst.Birthday, m.changed = src.Birthday, true
	default:
		m.conflicts = append(m.conflicts, fieldConflict{"birthday", dst.Birthday.String(), src.Birthday.String()})
	}
	for _, e := range src.Emails {
		i := slices.IndexFunc(dst.Emails, func(x model.Email) bool { return x.Address == e.Address })
		switch {
		case i < 0:
			dst.Emails, m.changed = append(dst.Emails, e), true
		case dst.Emails[i].Label == "" && e.Label != "":
			dst.Emails[i].Label, m.changed = e.Label, true
		}
	}
	for _, p := range src.Phones {
		i := slices.IndexFunc(dst.Phones, func(x model.Phone) bool { return x.Number == p.Number })
		switch {
		case i < 0:
			dst.Phones, m.changed = append(dst.Phones, p), true
		case dst.Phones[i].Label == "" && p.Label != "":
			dst.Phones[i].Label, m.changed = p.Label, true
		}
	}
	m.strs(&dst.Tags, src.Tags, strings.EqualFold)
	m.strs(&dst.Links, src.Links, func(a, b string) bool { return a == b })
	for _, a := range src.Addresses {
		if !slices.ContainsFunc(dst.Addresses, func(x model.Address) bool { return sameAddress(x, a) }) {
			dst.Addresses, m.changed = append(dst.Addresses, a), true
		}
	}
	m.custom(&dst.Custom, src.Custom)
	return m
}

func sameAddress(a, b model.Address) bool {
	a.Label, b.Label = "", ""
	return strings.EqualFold(a.String(), b.String())
}

// mergeCompany merges src into dst like mergeContact.
func mergeCompany(dst *model.Company, src *model.Company) merger {
	var m merger
	m.text("domain", &dst.Domain, src.Domain)
	m.text("industry", &dst.Industry, src.Industry)
	m.text("size", &dst.Size, src.Size)
	m.text("phone", &dst.Phone, src.Phone)
	m.text("owner", &dst.Owner, src.Owner)
	if dst.Address.IsZero() && !src.Address.IsZero() {
		dst.Address, m.changed = src.Address, true
	} else if !src.Address.IsZero() && !sameAddress(dst.Address, src.Address) {
		m.conflicts = append(m.conflicts, fieldConflict{"address", dst.Address.String(), src.Address.String()})
	}
	m.strs(&dst.Tags, src.Tags, strings.EqualFold)
	m.custom(&dst.Custom, src.Custom)
	return m
}

// mergeDeal merges src into dst: empty fields filled, tags and custom
// fields added; a different stage or amount is reported, not applied.
func mergeDeal(dst *model.Deal, src *model.Deal) merger {
	var m merger
	m.text("owner", &dst.Owner, src.Owner)
	m.text("source", &dst.Source, src.Source)
	m.text("stage", &dst.Stage, src.Stage)
	if dst.Value.Minor == 0 && src.Value.Minor != 0 {
		dst.Value, m.changed = src.Value, true
	} else if src.Value.Minor != 0 && src.Value != dst.Value {
		m.conflicts = append(m.conflicts, fieldConflict{"amount", dst.Value.Decimal() + " " + dst.Value.Currency,
			src.Value.Decimal() + " " + src.Value.Currency})
	}
	if dst.CloseDate.IsZero() && !src.CloseDate.IsZero() {
		dst.CloseDate, m.changed = src.CloseDate, true
	} else if !src.CloseDate.IsZero() && src.CloseDate != dst.CloseDate {
		m.conflicts = append(m.conflicts, fieldConflict{"close_date", dst.CloseDate.String(), src.CloseDate.String()})
	}
	if dst.Probability == nil && src.Probability != nil {
		dst.Probability, m.changed = src.Probability, true
	}
	m.strs(&dst.Tags, src.Tags, strings.EqualFold)
	m.custom(&dst.Custom, src.Custom)
	return m
}

// mergeTask merges src into dst: a task the file says is done becomes
// done; other empty fields are filled.
func mergeTask(dst *model.Task, src *model.Task) merger {
	var m merger
	m.text("notes", &dst.Notes, src.Notes)
	m.text("owner", &dst.Owner, src.Owner)
	if dst.Due.IsZero() && !src.Due.IsZero() {
		dst.Due, m.changed = src.Due, true
	} else if !src.Due.IsZero() && src.Due.String() != dst.Due.String() {
		m.conflicts = append(m.conflicts, fieldConflict{"due", dst.Due.String(), src.Due.String()})
	}
	if !dst.Done() && src.Done() {
		dst.DoneAt, m.changed = src.DoneAt, true
	}
	if dst.Repeat.IsZero() && !src.Repeat.IsZero() {
		dst.Repeat, m.changed = src.Repeat, true
	}
	return m
}
