package store

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/rolo-crm/rolo/model"
)

// GroupValues returns one JSON object holding the fields of every group
// in mask of rec (a pointer to one of the model types): the value a sync
// op setting those groups carries. It is model.GroupValue for several
// groups at once.
func GroupValues(e model.Entity, rec any, mask model.GroupMask) (json.RawMessage, error) {
	f, err := recordFields(rec)
	if err != nil {
		return nil, err
	}
	return json.Marshal(groupFields(e, f, mask, true))
}

// groupFields returns the members of f that belong to the groups in mask; with
// nulls, a field f lacks is null.
func groupFields(e model.Entity, f map[string]json.RawMessage, mask model.GroupMask, nulls bool) map[string]json.RawMessage {
	sub := map[string]json.RawMessage{}
	for i, g := range model.Groups(e) {
		if mask&(1<<i) == 0 {
			continue
		}
		for _, k := range g.Keys {
			if v, ok := f[k]; ok {
				sub[k] = v
			} else if nulls {
				sub[k] = json.RawMessage("null")
			}
		}
	}
	return sub
}

// applyGroups sets the fields of the groups in mask of rec from value (an
// object GroupValues wrote), replacing them whole and leaving the other
// groups as they were: model.ApplyGroup for several groups at once, with
// one decode. On error rec is unchanged.
func applyGroups(e model.Entity, rec any, mask model.GroupMask, value json.RawMessage) error {
	rv := reflect.ValueOf(rec)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("apply %s groups: need a non-nil pointer to a record, got %T", e, rec)
	}
	var sub map[string]json.RawMessage
	if err := json.Unmarshal(value, &sub); err != nil {
		return fmt.Errorf("%s value: %w", e, err)
	}
	cur, err := recordFields(rec)
	if err != nil {
		return err
	}
	for i, g := range model.Groups(e) {
		if mask&(1<<i) == 0 {
			continue
		}
		for _, k := range g.Keys {
			if v, ok := sub[k]; ok {
				cur[k] = v
			} else {
				delete(cur, k)
			}
		}
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	fresh := reflect.New(rv.Elem().Type())
	if err := json.Unmarshal(b, fresh.Interface()); err != nil {
		return fmt.Errorf("%s value: %w", e, err)
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

// groupMembers returns the members of value that belong to the groups in
// mask, as an object (for keeping one group of a several-group value).
func groupMembers(e model.Entity, value json.RawMessage, mask model.GroupMask) (json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(value, &all); err != nil {
		return nil, err
	}
	return json.Marshal(groupFields(e, all, mask, false))
}

func recordFields(rec any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	return m, json.Unmarshal(b, &m)
}
