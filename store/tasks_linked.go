package store

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/rolo-crm/rolo/model"
)

// TasksOf returns the follow-ups, open and done, linked to a contact or a
// deal, read through the link index: a contact's or a deal's page needs
// them without reading every open follow-up as Tasks does. Open ones come
// first, in due order (undated last), then done ones, most recently done
// first. Other entities have no follow-ups of their own and give none.
func (tx *Tx) TasksOf(e model.Entity, id model.ID) ([]model.Task, error) {
	var bucket []byte
	switch e {
	case model.EntityContact:
		bucket = ixContactTasks
	case model.EntityDeal:
		bucket = ixDealTasks
	default:
		return nil, nil
	}
	ids := tx.linked(bucket, id)
	out := make([]model.Task, 0, len(ids))
	for _, tid := range ids {
		t, err := tasks.get(tx, tid)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b model.Task) int {
		switch {
		case a.Done() != b.Done():
			if a.Done() {
				return 1
			}
			return -1
		case a.Done():
			return b.DoneAt.Compare(a.DoneAt)
		}
		return cmp.Or(bytes.Compare(dueKey(a.Due), dueKey(b.Due)), a.ID.Compare(b.ID))
	})
	return out, nil
}
