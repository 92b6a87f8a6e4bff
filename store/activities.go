package store

import (
	"cmp"
	"encoding/binary"
	"slices"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var activities = &table[model.Activity]{
	entity: model.EntityActivity,
	bucket: bActivities,
	idOf:   func(a *model.Activity) *model.ID { return &a.ID },
	times: func(a *model.Activity) (*time.Time, *time.Time) {
		return &a.CreatedAt, nil
	},
	encode:  encodeActivity,
	decode:  decodeActivity,
	indexes: activityIndexes,
}

func activityIndexes(_ *Tx, a *model.Activity) []ixEntry {
	var out []ixEntry
	for _, l := range []struct {
		bucket []byte
		owner  model.ID
	}{{ixContactActs, a.ContactID}, {ixDealActs, a.DealID}, {ixCompanyActs, a.CompanyID}} {
		if !l.owner.IsZero() {
			out = append(out, ixEntry{bucket: l.bucket, key: timedKey(l.owner, a.At, a.ID)})
		}
	}
	return out
}

// Activity returns the activity with the given id.
func (tx *Tx) Activity(id model.ID) (model.Activity, error) { return activities.get(tx, id) }

// AddActivity validates and logs a new activity. One logged on a contact
// also shows on the contact's company.
func (tx *Tx) AddActivity(a *model.Activity) error {
	if a.At.IsZero() {
		a.At = tx.now
	}
	if err := a.Normalize(tx.s.opts.Rules); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityContact, a.ContactID, "contact_id"); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityDeal, a.DealID, "deal_id"); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityCompany, a.CompanyID, "company_id"); err != nil {
		return err
	}
	if a.CompanyID.IsZero() && !a.ContactID.IsZero() {
		if c, err := contacts.get(tx, a.ContactID); err == nil {
			a.CompanyID = c.CompanyID
		}
	}
	_, err := activities.save(tx, a)
	return err
}

// ResolveComplaint marks a complaint resolved now.
func (tx *Tx) ResolveComplaint(id model.ID) (model.Activity, error) {
	a, err := activities.get(tx, id)
	if err != nil {
		return a, err
	}
	if err := a.Resolve(tx.now); err != nil {
		return a, err
	}
	_, err = activities.save(tx, &a)
	return a, err
}

// DeleteActivity deletes an activity logged by mistake.
func (tx *Tx) DeleteActivity(id model.ID) (Removal, error) {
	a, err := activities.remove(tx, id)
	return Removal{Activities: []model.Activity{a}}, err
}

// ActivityQuery selects activities; zero fields do not filter.
type ActivityQuery struct {
	ContactID model.ID
	DealID    model.ID
	CompanyID model.ID
	Kind      string
	Limit     int
}

// Activities returns the matching activities, newest first. Without a
// link to filter by, it reads every activity.
func (tx *Tx) Activities(q ActivityQuery) ([]model.Activity, error) {
	var out []model.Activity
	keep := func(a *model.Activity) bool {
		if q.Kind != "" && a.Kind != q.Kind {
			return true
		}
		out = append(out, *a)
		return q.Limit <= 0 || len(out) < q.Limit
	}
	var bucket []byte
	var owner model.ID
	switch {
	case !q.ContactID.IsZero():
		bucket, owner = ixContactActs, q.ContactID
	case !q.DealID.IsZero():
		bucket, owner = ixDealActs, q.DealID
	case !q.CompanyID.IsZero():
		bucket, owner = ixCompanyActs, q.CompanyID
	default:
		var all []model.Activity
		err := activities.each(tx, func(a *model.Activity) error {
			all = append(all, *a)
			return nil
		})
		sortNewestFirst(all)
		for i := range all {
			if !keep(&all[i]) {
				break
			}
		}
		return out, err
	}
	ids := tx.linked(bucket, owner)
	for i := len(ids) - 1; i >= 0; i-- {
		a, err := activities.get(tx, ids[i])
		if err != nil {
			return nil, err
		}
		if !keep(&a) {
			break
		}
	}
	return out, nil
}

// LastActivity returns when the contact was last in touch, if ever.
func (tx *Tx) LastActivity(contact model.ID) (time.Time, bool) {
	c := tx.index(ixContactActs).Cursor()
	next := contact
	for i := len(next) - 1; i >= 0; i-- { // the smallest key after every key of contact
		if next[i]++; next[i] != 0 {
			break
		}
	}
	k, _ := c.Seek(next[:])
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if len(k) != 40 || model.ID(k[:16]) != contact {
		return time.Time{}, false
	}
	return timeInKey(k), true
}

// timeInKey reads the time a timedKey holds.
func timeInKey(k []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[16:24])^(1<<63))).UTC()
}

func sortNewestFirst(as []model.Activity) {
	slices.SortStableFunc(as, func(a, b model.Activity) int {
		return cmp.Or(b.At.Compare(a.At), b.ID.Compare(a.ID))
	})
}

// EachActivity calls fn with every activity in creation order.
func (tx *Tx) EachActivity(fn func(*model.Activity) error) error { return activities.each(tx, fn) }

// CountActivities returns the number of activities.
func (tx *Tx) CountActivities() int { return activities.count(tx) }
