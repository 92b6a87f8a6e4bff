package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
)

// Entity names a kind of record.
type Entity uint8

// The entities rolo stores.
const (
	EntityContact Entity = iota + 1
	EntityCompany
	EntityDeal
	EntityTask
	EntityActivity
)

// Entities lists every entity in dependency order: companies before the
// contacts that link to them, activities last.
var Entities = []Entity{EntityCompany, EntityContact, EntityDeal, EntityTask, EntityActivity}

var entityNames = map[Entity]string{
	EntityContact: "contact", EntityCompany: "company", EntityDeal: "deal",
	EntityTask: "task", EntityActivity: "activity",
}

func (e Entity) String() string {
	if n, ok := entityNames[e]; ok {
		return n
	}
	return fmt.Sprintf("entity(%d)", e)
}

// ParseEntity reads the name String writes.
func ParseEntity(s string) (Entity, error) {
	for e, n := range entityNames {
		if n == s {
			return e, nil
		}
	}
	return 0, invalid("entity", s, "model.oneof", "contact, company, deal, task, activity")
}

// MarshalText writes the entity's name.
func (e Entity) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads an entity name.
func (e *Entity) UnmarshalText(b []byte) error {
	v, err := ParseEntity(string(b))
	*e = v
	return err
}

// Group is a set of fields that change together and that sync merges as
// one value: two replicas editing different groups of one record both
// keep their edit; editing the same group, the later clock wins.
type Group struct {
	Name string
	Keys []string // the JSON keys of the record that belong to the group
}

// GroupMask is a set of groups of one entity, bit i standing for
// Groups(e)[i].
type GroupMask uint32

var entityGroups = map[Entity][]Group{
	EntityContact: {
		{"created", []string{"created_at"}},
		{"name", []string{"name"}},
		{"emails", []string{"email_details", "emails"}},
		{"phones", []string{"phone_details", "phones"}},
		{"company", []string{"company_id"}},
		{"title", []string{"title"}},
		{"tags", []string{"tags"}},
		{"source", []string{"source"}},
		{"owner", []string{"owner"}},
		{"lifecycle", []string{"lifecycle"}},
		{"custom", []string{"custom"}},
		{"birthday", []string{"birthday"}},
		{"addresses", []string{"addresses"}},
		{"links", []string{"links"}},
	},
	EntityCompany: {
		{"created", []string{"created_at"}},
		{"name", []string{"name"}},
		{"domain", []string{"domain"}},
		{"industry", []string{"industry"}},
		{"size", []string{"size"}},
		{"phone", []string{"phone"}},
		{"address", []string{"address"}},
		{"tags", []string{"tags"}},
		{"owner", []string{"owner"}},
		{"custom", []string{"custom"}},
	},
	EntityDeal: {
		{"created", []string{"created_at"}},
		{"title", []string{"title"}},
		{"links", []string{"contact_id", "company_id"}},
		{"value", []string{"amount", "currency"}},
		{"stage", []string{"stage", "status", "closed_at", "lost_reason", "stage_history"}},
		{"probability", []string{"probability_override"}},
		{"close_date", []string{"close_date"}},
		{"owner", []string{"owner"}},
		{"source", []string{"source"}},
		{"tags", []string{"tags"}},
		{"custom", []string{"custom"}},
	},
	EntityTask: {
		{"created", []string{"created_at"}},
		{"title", []string{"title"}},
		{"due", []string{"due"}},
		{"links", []string{"contact_id", "deal_id", "company_id"}},
		{"priority", []string{"priority"}},
		{"done", []string{"done_at"}},
		{"repeat", []string{"repeat"}},
		{"notes", []string{"notes"}},
		{"owner", []string{"owner"}},
	},
	EntityActivity: {
		{"record", []string{"created_at", "kind", "at", "direction", "channel", "contact_id", "deal_id", "company_id", "body", "score", "owner"}},
		{"state", []string{"state", "resolved_at"}},
	},
}

// Groups returns the field groups of entity e, in a fixed order.
func Groups(e Entity) []Group { return entityGroups[e] }

// AllGroups returns the mask holding every group of e.
func AllGroups(e Entity) GroupMask { return GroupMask(1)<<len(entityGroups[e]) - 1 }

// GroupIndex returns the position of the named group of e, or -1.
func GroupIndex(e Entity, name string) int {
	for i, g := range entityGroups[e] {
		if g.Name == name {
			return i
		}
	}
	return -1
}

// Names lists the names of the groups in m.
func (m GroupMask) Names(e Entity) []string {
	var out []string
	for i, g := range entityGroups[e] {
		if m&(1<<i) != 0 {
			out = append(out, g.Name)
		}
	}
	return out
}

// ChangedGroups compares two versions of a record (each one of the model
// types) and returns the groups whose values differ.
func ChangedGroups(e Entity, old, new any) (GroupMask, error) {
	a, err := fieldsOf(old)
	if err != nil {
		return 0, err
	}
	b, err := fieldsOf(new)
	if err != nil {
		return 0, err
	}
	var m GroupMask
	for i, g := range entityGroups[e] {
		for _, k := range g.Keys {
			if !bytes.Equal(a[k], b[k]) {
				m |= 1 << i
				break
			}
		}
	}
	return m, nil
}

// GroupValue returns the JSON object holding the fields of group g of
// rec, the value a sync op carries.
func GroupValue(e Entity, rec any, g int) (json.RawMessage, error) {
	grp, err := groupAt(e, g)
	if err != nil {
		return nil, err
	}
	f, err := fieldsOf(rec)
	if err != nil {
		return nil, err
	}
	sub := make(map[string]json.RawMessage, len(grp.Keys))
	for _, k := range grp.Keys {
		if v, ok := f[k]; ok {
			sub[k] = v
		} else {
			sub[k] = json.RawMessage("null")
		}
	}
	return json.Marshal(sub)
}

// ApplyGroup sets the fields of group g of rec (a pointer to one of the
// model types) from a value GroupValue produced, replacing them whole (a
// map such as custom is replaced, not merged) and leaving the other groups
// as they were. On error rec is unchanged.
func ApplyGroup(e Entity, rec any, g int, value json.RawMessage) error {
	grp, err := groupAt(e, g)
	if err != nil {
		return err
	}
	rv := reflect.ValueOf(rec)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("group %s: need a non-nil pointer to a record, got %T", grp.Name, rec)
	}
	var sub map[string]json.RawMessage
	if err := json.Unmarshal(value, &sub); err != nil {
		return fmt.Errorf("group %s: %w", grp.Name, err)
	}
	cur, err := fieldsOf(rec)
	if err != nil {
		return err
	}
	for _, k := range grp.Keys {
		if v, ok := sub[k]; ok {
			cur[k] = v
		} else {
			delete(cur, k)
		}
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	// Decode into a zero record, so that maps are replaced and a failed
	// decode leaves rec as it was.
	fresh := reflect.New(rv.Elem().Type())
	if err := json.Unmarshal(b, fresh.Interface()); err != nil {
		return fmt.Errorf("group %s: %w", grp.Name, err)
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

func groupAt(e Entity, g int) (Group, error) {
	gs := entityGroups[e]
	if g < 0 || g >= len(gs) {
		return Group{}, fmt.Errorf("%s has no field group %d", e, g)
	}
	return gs[g], nil
}

func fieldsOf(rec any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	return m, json.Unmarshal(b, &m)
}
