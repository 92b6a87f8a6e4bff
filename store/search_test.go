package store

import (
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestSearchContacts(t *testing.T) {
	s, _ := openTest(t)
	acme := putCompany(t, s, model.Company{Name: "Acme Robotics"})
	zhang := putContact(t, s, model.Contact{Name: "张伟", Phones: []model.Phone{{Number: "138 1234 5678"}}})
	wang := putContact(t, s, model.Contact{Name: "王小明", Title: "采购经理"})
	maria := putContact(t, s, model.Contact{Name: "Maria Garcia", CompanyID: acme.ID,
		Emails: []model.Email{{Address: "maria.g@acme-robotics.example"}}})
	edgar := putContact(t, s, model.Contact{Name: "Edgar Allen", Phones: []model.Phone{{Number: "(650) 253-0000"}}})
	zoe := putContact(t, s, model.Contact{Name: "Zoë Garcia"})

	tests := []struct {
		query string
		limit int
		want  []model.ID // in order
	}{
		{"zw", 0, []model.ID{zhang.ID}},
		{"zhang", 0, []model.ID{zhang.ID}},
		{"zhangwei", 0, []model.ID{zhang.ID}},
		{"Zhang Wei", 0, []model.ID{zhang.ID}},
		{"张", 0, []model.ID{zhang.ID}},
		{"伟", 0, []model.ID{zhang.ID}},
		{"王", 0, []model.ID{wang.ID}},
		{"小明", 0, []model.ID{wang.ID}},
		{"wxm", 0, []model.ID{wang.ID}},
		{"采购", 0, []model.ID{wang.ID}},
		{"garcia", 0, []model.ID{maria.ID, zoe.ID}},
		{"GARCÍA", 0, []model.ID{maria.ID, zoe.ID}},
		{"zoe", 0, []model.ID{zoe.ID}},
		{"arci", 0, []model.ID{maria.ID, zoe.ID}},
		{"maria.g@", 0, []model.ID{maria.ID}},
		{"acme-robotics.example", 0, []model.ID{maria.ID}},
		{"12345678", 0, []model.ID{zhang.ID}},
		{"138 1234", 0, []model.ID{zhang.ID}},
		{"8613812345678", 0, []model.ID{zhang.ID}},
		{"6502530000", 0, []model.ID{edgar.ID}},
		{"robotics", 0, []model.ID{maria.ID}},
		{"acme maria", 0, []model.ID{maria.ID}},
		{"acme zoe", 0, nil},
		{"nobody", 0, nil},
		// "gar" starts a word in Garcia but sits inside Edgar: prefix
		// matches first, even though Edgar sorts before both.
		{"gar", 0, []model.ID{maria.ID, zoe.ID, edgar.ID}},
		{"gar", 2, []model.ID{maria.ID, zoe.ID}},
		{"", 0, []model.ID{edgar.ID, maria.ID, wang.ID, zhang.ID, zoe.ID}}, // everyone, by name
		{"", 3, []model.ID{edgar.ID, maria.ID, wang.ID}},
		{"  ,, ", 1, []model.ID{edgar.ID}},
	}
	view(t, s, func(tx *Tx) error {
		for _, tt := range tests {
			hits, err := tx.SearchContacts(tt.query, tt.limit)
			if err != nil {
				return err
			}
			got := make([]model.ID, len(hits))
			for i, h := range hits {
				got[i] = h.ID
			}
			if !sameIDs(got, tt.want) {
				t.Errorf("SearchContacts(%q, %d) = %v, want %v", tt.query, tt.limit, names(tx, got), names(tx, tt.want))
			}
		}
		hits, _ := tx.SearchContacts("gar", 0)
		if !hits[0].Prefix || !hits[1].Prefix || hits[2].Prefix {
			t.Errorf("prefix flags: %+v", hits)
		}
		got := tx.ContactIDs(ContactQuery{Search: "garcia", Limit: 1, Offset: 1})
		if !sameIDs(got, []model.ID{zoe.ID}) {
			t.Errorf("ContactIDs page 2 of garcia: %v", got)
		}
		cs, err := tx.Contacts(ContactQuery{Search: "zw"})
		if err != nil || len(cs) != 1 || cs[0].Name != "张伟" {
			t.Errorf("Contacts(zw) = %v, %v", cs, err)
		}
		return nil
	})
}

func names(tx *Tx, ids []model.ID) []string {
	var out []string
	for _, id := range ids {
		c, _ := tx.Contact(id)
		out = append(out, c.Name)
	}
	return out
}

func TestSearchCompanies(t *testing.T) {
	s, _ := openTest(t)
	ali := putCompany(t, s, model.Company{Name: "阿里巴巴", Domain: "alibaba.com", Address: model.Address{City: "杭州"}})
	acme := putCompany(t, s, model.Company{Name: "Acme", Industry: "Robotics", Phone: "010-6552 9988"})
	view(t, s, func(tx *Tx) error {
		for q, want := range map[string][]model.ID{
			"alibaba":  {ali.ID},
			"albb":     {ali.ID},
			"阿里":       {ali.ID},
			"杭州":       {ali.ID},
			"robot":    {acme.ID},
			"65529988": {acme.ID},
			"a":        {ali.ID, acme.ID}, // by sort key: "a\x01阿li..." before "acme"
		} {
			hits, _ := tx.SearchCompanies(q, 0)
			var got []model.ID
			for _, h := range hits {
				got = append(got, h.ID)
			}
			if !sameIDs(got, want) {
				t.Errorf("SearchCompanies(%q) = %v, want %v", q, got, want)
			}
		}
		cs, err := tx.Companies(CompanyQuery{Search: "acme"})
		if err != nil || len(cs) != 1 || cs[0].ID != acme.ID {
			t.Errorf("Companies(acme) = %v, %v", cs, err)
		}
		cs, _ = tx.Companies(CompanyQuery{Limit: 1, Offset: 1})
		if len(cs) != 1 || cs[0].ID != acme.ID {
			t.Errorf("Companies page 2 = %v", cs)
		}
		return nil
	})
}

// TestSearchIndex checks the in-memory form the TUI loads agrees with
// SearchContacts.
func TestSearchIndex(t *testing.T) {
	s, _ := openTest(t)
	putContact(t, s, model.Contact{Name: "张伟"})
	putContact(t, s, model.Contact{Name: "Maria Garcia"})
	putCompany(t, s, model.Company{Name: "Acme"})
	view(t, s, func(tx *Tx) error {
		idx := tx.ContactSearchIndex()
		if len(idx) != 2 {
			t.Fatalf("%d entries", len(idx))
		}
		for _, e := range idx {
			c, err := tx.Contact(e.ID)
			if err != nil {
				return err
			}
			if e.SortKey != model.SortKey(c.Name) {
				t.Errorf("sort key %q, want %q", e.SortKey, model.SortKey(c.Name))
			}
			terms := model.QueryTerms(c.Name)
			if ok, _ := model.MatchTerms(e.Haystack, terms); !ok {
				t.Errorf("%s does not match its own haystack %q", c.Name, e.Haystack)
			}
		}
		if ok, _ := model.MatchTerms(idx[0].Haystack+idx[1].Haystack, []string{"zw"}); !ok {
			t.Error("no entry matches zw")
		}
		if got := tx.CompanySearchIndex(); len(got) != 1 || got[0].SortKey != "acme" {
			t.Errorf("company index: %+v", got)
		}
		return nil
	})
}
