package store

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/rolo-crm/rolo/model"
)

// ContactQuery selects contacts; zero fields do not filter.
type ContactQuery struct {
	Search    string   // terms matched against names (with pinyin), emails, phones, company, title
	Tag       string   // exact tag, ignoring case
	CompanyID model.ID // contacts of one company
	Limit     int      // 0: all
	Offset    int
}

// ContactIDs returns the ids of the matching contacts in display order:
// by name, or for a search, prefix matches first and then by name.
func (tx *Tx) ContactIDs(q ContactQuery) []model.ID {
	var ids []model.ID
	switch {
	case q.Search != "":
		for _, h := range tx.search(sxContacts, q.Search, 0) {
			ids = append(ids, h.ID)
		}
	case q.Tag == "" && q.CompanyID.IsZero():
		return tx.contactsByName(q.Offset, q.Limit)
	case q.Tag != "":
		ids = tx.sortedByName(tx.idsWithText(ixTag, string([]byte{byte(model.EntityContact)})+model.Fold(q.Tag)))
	default:
		ids = tx.sortedByName(tx.linked(ixCompanyContacts, q.CompanyID))
	}
	ids = tx.filterContacts(ids, q)
	return page(ids, q.Offset, q.Limit)
}

// Contacts returns the matching contacts (see ContactIDs).
func (tx *Tx) Contacts(q ContactQuery) ([]model.Contact, error) {
	return tx.ContactsByID(tx.ContactIDs(q))
}

// ContactsByID returns the contacts with the given ids, in that order.
func (tx *Tx) ContactsByID(ids []model.ID) ([]model.Contact, error) {
	out := make([]model.Contact, 0, len(ids))
	for _, id := range ids {
		c, err := contacts.get(tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// filterContacts applies the tag and company filters that did not select
// ids: both after a search, the company after a tag lookup.
func (tx *Tx) filterContacts(ids []model.ID, q ContactQuery) []model.ID {
	byTag := q.Tag != "" && q.Search != ""
	byCompany := !q.CompanyID.IsZero() && (q.Search != "" || q.Tag != "")
	if !byTag && !byCompany {
		return ids
	}
	var tagged map[model.ID]bool
	if byTag {
		tagged = map[model.ID]bool{}
		for _, id := range tx.idsWithText(ixTag, string([]byte{byte(model.EntityContact)})+model.Fold(q.Tag)) {
			tagged[id] = true
		}
	}
	out := ids[:0]
	for _, id := range ids {
		if tagged != nil && !tagged[id] {
			continue
		}
		if byCompany && tx.index(ixCompanyContacts).Get(pairKey(q.CompanyID, id)) == nil {
			continue
		}
		out = append(out, id)
	}
	return out
}

// contactsByName walks the name index, reading only the requested page.
func (tx *Tx) contactsByName(offset, limit int) []model.ID {
	var ids []model.ID
	c := tx.index(ixContactName).Cursor()
	i := 0
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if i++; i <= offset {
			continue
		}
		ids = append(ids, idAtEnd(k))
		if limit > 0 && len(ids) == limit {
			break
		}
	}
	return ids
}

// sortedByName orders contact ids by their sort keys.
func (tx *Tx) sortedByName(ids []model.ID) []model.ID {
	keys := make(map[model.ID]string, len(ids))
	for _, id := range ids {
		keys[id] = tx.sortKeyOf(sxContacts, id)
	}
	slices.SortFunc(ids, func(a, b model.ID) int {
		return cmp.Or(cmp.Compare(keys[a], keys[b]), a.Compare(b))
	})
	return ids
}

func page[T any](s []T, offset, limit int) []T {
	if offset >= len(s) {
		return nil
	}
	s = s[offset:]
	if limit > 0 && len(s) > limit {
		s = s[:limit]
	}
	return s
}

// CompanyQuery selects companies; zero fields do not filter.
type CompanyQuery struct {
	Search string
	Tag    string
	Limit  int
	Offset int
}

// Companies returns the matching companies by name (search: prefix
// matches first).
func (tx *Tx) Companies(q CompanyQuery) ([]model.Company, error) {
	hits := tx.search(sxCompanies, q.Search, 0)
	var out []model.Company
	for _, h := range hits {
		c, err := companies.get(tx, h.ID)
		if err != nil {
			return nil, err
		}
		if q.Tag != "" && !model.HasTag(c.Tags, q.Tag) {
			continue
		}
		out = append(out, c)
	}
	return page(out, q.Offset, q.Limit), nil
}

// Tags returns every tag in use on entity e with how many records carry it.
func (tx *Tx) Tags(e model.Entity) map[string]int {
	out := map[string]int{}
	prefix := []byte{byte(e)}
	c := tx.index(ixTag).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) > 1+17 {
			out[string(k[1:len(k)-17])]++
		}
	}
	return out
}
