package interchange

import (
	"strings"

	"github.com/rolo-crm/rolo/model"
)

// Stats counts the records an export wrote.
type Stats struct {
	Companies  int `json:"companies"`
	Contacts   int `json:"contacts"`
	Deals      int `json:"deals"`
	Tasks      int `json:"tasks"`
	Activities int `json:"activities"`
}

// Add counts n records of kind e.
func (s *Stats) Add(e model.Entity, n int) {
	switch e {
	case model.EntityCompany:
		s.Companies += n
	case model.EntityContact:
		s.Contacts += n
	case model.EntityDeal:
		s.Deals += n
	case model.EntityTask:
		s.Tasks += n
	case model.EntityActivity:
		s.Activities += n
	}
}

// Total is the number of records.
func (s Stats) Total() int { return s.Companies + s.Contacts + s.Deals + s.Tasks + s.Activities }

// entityNames are the plural names --entity takes, in export order.
var entityNames = []struct {
	name string
	e    model.Entity
}{
	{"companies", model.EntityCompany}, {"contacts", model.EntityContact}, {"deals", model.EntityDeal},
	{"tasks", model.EntityTask}, {"activities", model.EntityActivity},
}

// ParseEntities reads --entity: one kind (plural or singular: "contacts",
// "contact") or "all" (every kind, in dependency order).
func ParseEntities(s string) ([]model.Entity, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	var out []model.Entity
	for _, n := range entityNames {
		if s == "all" || s == n.name || s == n.e.String() {
			out = append(out, n.e)
		}
	}
	if len(out) == 0 {
		return nil, &model.FieldError{Field: "entity", Value: s, Reason: "one of contacts, companies, deals, tasks, activities, all"}
	}
	return out, nil
}

// PluralName is the name of an entity's records in exports: "contacts".
func PluralName(e model.Entity) string {
	for _, n := range entityNames {
		if n.e == e {
			return n.name
		}
	}
	return e.String()
}
