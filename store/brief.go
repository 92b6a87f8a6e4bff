package store

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// Reports read every record of a kind. Decoding every field of 100,000
// contacts and 200,000 activities costs several times more than the
// reports themselves, so the Brief readers below decode only the fields
// reports use, share the strings that repeat across records (owners,
// tags, stages, kinds) and skip the rest of the bytes. The readers of a
// whole bucket decode on every core: walking the cursor is cheap, and the
// values it yields stay valid until the transaction ends.

// interner hands out one string per distinct value, so that a million
// "call"s are one allocation. The few values seen first are compared
// directly, which is cheaper than hashing; the rest go to a map.
type interner struct {
	few  []string
	many map[string]string
}

func (in *interner) get(p []byte) string {
	for _, s := range in.few {
		if s == string(p) { // no allocation: the compiler spots the comparison
			return s
		}
	}
	if s, ok := in.many[string(p)]; ok {
		return s
	}
	s := string(p)
	if len(in.few) < 16 {
		in.few = append(in.few, s)
	} else {
		if in.many == nil {
			in.many = map[string]string{}
		}
		in.many[s] = s
	}
	return s
}

// briefDecoder decodes the fields a brief record holds.
type briefDecoder[T any] func(d *decoder, in *interner, rec *T)

// briefChunk is the fewest records a decoding goroutine is worth.
const briefChunk = 4096

// allBrief decodes every record of t with dec, in id order. One
// goroutine walks the cursor; the decoding is split between as many
// goroutines as there are cores, each with its own interner.
func allBrief[T any](tx *Tx, t *table[T], dec briefDecoder[T]) ([]T, error) {
	var keys, vals [][]byte
	c := tx.btx.Bucket(t.bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		keys, vals = append(keys, k), append(vals, v)
	}
	out := make([]T, len(keys))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(keys)/briefChunk))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(keys)*w/workers, len(keys)*(w+1)/workers
		wg.Go(func() {
			var in interner
			for i := lo; i < hi; i++ {
				if err := decodeBrief(t, model.ID(keys[i]), vals[i], dec, &in, &out[i]); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// someBrief decodes the records of t with the given ids, which must be
// sorted and distinct, with dec; ids of no record are skipped. Ids near
// each other share pages, so the cursor steps forward a few keys before
// it searches from the root again.
func someBrief[T any](tx *Tx, t *table[T], ids []model.ID, dec briefDecoder[T]) ([]T, error) {
	var in interner
	out := make([]T, 0, len(ids))
	c := tx.btx.Bucket(t.bucket).Cursor()
	var k, v []byte
	for _, id := range ids {
		for step := 0; k != nil && step < 8 && bytes.Compare(k, id[:]) < 0; step++ {
			k, v = c.Next()
		}
		if k == nil || bytes.Compare(k, id[:]) < 0 {
			k, v = c.Seek(id[:])
		}
		if !bytes.Equal(k, id[:]) {
			continue
		}
		out = append(out, *new(T))
		if err := decodeBrief(t, id, v, dec, &in, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// getBrief reads the record of t with the given id with dec.
func getBrief[T any](tx *Tx, t *table[T], id model.ID, dec briefDecoder[T]) (T, error) {
	var rec T
	v := tx.btx.Bucket(t.bucket).Get(id[:])
	if v == nil {
		return rec, notFound(t.entity, id)
	}
	return rec, decodeBrief(t, id, v, dec, &interner{}, &rec)
}

func decodeBrief[T any](t *table[T], id model.ID, v []byte, dec briefDecoder[T], in *interner, rec *T) error {
	body, err := bodyOf(v)
	if err != nil {
		return &CorruptError{Entity: t.entity, ID: id}
	}
	d := decoder{b: body}
	if dec(&d, in, rec); d.err != nil {
		return &CorruptError{Entity: t.entity, ID: id}
	}
	*t.idOf(rec) = id
	return nil
}

// ContactsBrief returns every contact in id order, holding only ID, Name,
// CompanyID, Tags, Owner, Lifecycle and CreatedAt.
func (tx *Tx) ContactsBrief() ([]model.Contact, error) { return allBrief(tx, contacts, briefContact) }

// ContactBrief returns the contact with the given id, holding the fields
// ContactsBrief's do.
func (tx *Tx) ContactBrief(id model.ID) (model.Contact, error) {
	return getBrief(tx, contacts, id, briefContact)
}

// ContactsBriefOf returns the contacts with the given ids, which must be
// sorted and distinct, holding the fields ContactsBrief's do; ids of no
// contact are skipped.
func (tx *Tx) ContactsBriefOf(ids []model.ID) ([]model.Contact, error) {
	return someBrief(tx, contacts, ids, briefContact)
}

func briefContact(d *decoder, in *interner, c *model.Contact) {
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			c.Name = string(p)
		case 4:
			c.CompanyID = d.id(p)
		case 6:
			c.Tags = append(c.Tags, in.get(p))
		case 8:
			c.Owner = in.get(p)
		case 9:
			c.Lifecycle = in.get(p)
		case 14:
			c.CreatedAt = d.time(p)
		}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
}

// CompaniesBrief returns every company in id order, holding only ID,
// Name, Tags, Owner and CreatedAt.
func (tx *Tx) CompaniesBrief() ([]model.Company, error) { return allBrief(tx, companies, briefCompany) }

// CompanyBrief returns the company with the given id, holding the fields
// CompaniesBrief's do.
func (tx *Tx) CompanyBrief(id model.ID) (model.Company, error) {
	return getBrief(tx, companies, id, briefCompany)
}

// CompaniesBriefOf returns the companies with the given ids, which must
// be sorted and distinct, holding the fields CompaniesBrief's do; ids of
// no company are skipped.
func (tx *Tx) CompaniesBriefOf(ids []model.ID) ([]model.Company, error) {
	return someBrief(tx, companies, ids, briefCompany)
}

func briefCompany(d *decoder, in *interner, c *model.Company) {
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			c.Name = string(p)
		case 7:
			c.Tags = append(c.Tags, in.get(p))
		case 8:
			c.Owner = in.get(p)
		case 10:
			c.CreatedAt = d.time(p)
		}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
}

// DealsBrief returns every deal in id order, holding every field but
// Custom.
func (tx *Tx) DealsBrief() ([]model.Deal, error) { return allBrief(tx, deals, briefDeal) }

func briefDeal(d *decoder, in *interner, x *model.Deal) {
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			x.Title = string(p)
		case 2:
			x.ContactID = d.id(p)
		case 3:
			x.CompanyID = d.id(p)
		case 4:
			x.Value.Minor = d.int(p)
		case 5:
			x.Value.Currency = in.get(p)
		case 6:
			x.Stage = in.get(p)
		case 7:
			x.Probability = d.intPtr(p)
		case 8:
			x.Status = in.get(p)
		case 9:
			x.CloseDate = d.date(p)
		case 10:
			x.ClosedAt = d.time(p)
		case 11:
			x.LostReason = in.get(p)
		case 12:
			x.History = append(x.History, d.stageMove(p, in))
		case 13:
			x.Owner = in.get(p)
		case 14:
			x.Source = in.get(p)
		case 15:
			x.Tags = append(x.Tags, in.get(p))
		case 17:
			x.CreatedAt = d.time(p)
		case 18:
			x.UpdatedAt = d.time(p)
		}
	}
	if x.Tags == nil {
		x.Tags = []string{}
	}
}

// stageMove decodes one entry of a deal's stage history without the
// closure the general decoder uses.
func (d *decoder) stageMove(p []byte, in *interner) model.StageMove {
	var m model.StageMove
	sub := decoder{b: p}
	for {
		tag, q, ok := sub.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			m.Stage = in.get(q)
		case 2:
			m.At = sub.time(q)
		}
	}
	if sub.err != nil {
		d.err = sub.err
	}
	return m
}

// ActivitiesBrief returns every activity in id order, holding only ID,
// Kind, At, ContactID, DealID, CompanyID, Score, State, ResolvedAt and
// Owner.
func (tx *Tx) ActivitiesBrief() ([]model.Activity, error) {
	return allBrief(tx, activities, briefActivity)
}

func briefActivity(d *decoder, in *interner, a *model.Activity) {
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			a.Kind = in.get(p)
		case 2:
			a.At = d.time(p)
		case 5:
			a.ContactID = d.id(p)
		case 6:
			a.DealID = d.id(p)
		case 7:
			a.CompanyID = d.id(p)
		case 9:
			a.Score = d.intPtr(p)
		case 10:
			a.State = in.get(p)
		case 11:
			a.ResolvedAt = d.time(p)
		case 12:
			a.Owner = in.get(p)
		}
	}
}

// EachActivityTime calls fn with when each activity linked to a record of
// entity e (a contact, a company or a deal) happened, grouped by that
// record in id order and by time within each group. It reads the index
// behind e's timeline, not the activities. An activity logged on a
// contact counts for the contact's company too (see AddActivity).
func (tx *Tx) EachActivityTime(e model.Entity, fn func(owner model.ID, at time.Time) error) error {
	var bucket []byte
	switch e {
	case model.EntityContact:
		bucket = ixContactActs
	case model.EntityCompany:
		bucket = ixCompanyActs
	case model.EntityDeal:
		bucket = ixDealActs
	default:
		return fmt.Errorf("store: no activity timeline for %s", e)
	}
	c := tx.index(bucket).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) != 40 {
			return fmt.Errorf("the %s index holds a damaged key; run rolo doctor --repair: %w", bucket, errCorrupt)
		}
		if err := fn(model.ID(k[:16]), timeInKey(k)); err != nil {
			return err
		}
	}
	return nil
}

// ActivitiesOf returns every activity of one kind in id order, holding
// the fields ActivitiesBrief's do. Other activities are skipped once
// their kind is read.
func (tx *Tx) ActivitiesOf(kind string) ([]model.Activity, error) {
	var in interner
	var out []model.Activity
	c := tx.btx.Bucket(bActivities).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		body, err := bodyOf(v)
		if err != nil {
			return nil, &CorruptError{Entity: model.EntityActivity, ID: model.ID(k)}
		}
		if !hasKind(body, kind) {
			continue
		}
		out = append(out, model.Activity{})
		if err := decodeBrief(activities, model.ID(k), v, briefActivity, &in, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hasKind reports whether an encoded activity is of the given kind,
// reading no further than its kind field.
func hasKind(body []byte, kind string) bool {
	d := decoder{b: body}
	for {
		tag, p, ok := d.next()
		if !ok {
			return false
		}
		if tag == 1 {
			return string(p) == kind
		}
	}
}

// TaskLink is an open follow-up's links to a deal and a contact; either
// may be zero.
type TaskLink struct {
	Task, Deal, Contact model.ID
}

// OpenTaskLinks returns the links of every open follow-up, in the order
// of their due dates, reading the indexes only.
func (tx *Tx) OpenTaskLinks() ([]TaskLink, error) {
	var out []TaskLink
	at := map[model.ID]int{}
	c := tx.index(ixOpenTasks).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		id := idAtEnd(k)
		at[id] = len(out)
		out = append(out, TaskLink{Task: id})
	}
	for _, ix := range []struct {
		bucket []byte
		set    func(*TaskLink, model.ID)
	}{
		{ixDealTasks, func(l *TaskLink, id model.ID) { l.Deal = id }},
		{ixContactTasks, func(l *TaskLink, id model.ID) { l.Contact = id }},
	} {
		c := tx.index(ix.bucket).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) != 32 {
				return nil, fmt.Errorf("the %s index holds a damaged key; run rolo doctor --repair: %w", ix.bucket, errCorrupt)
			}
			if i, ok := at[idAtEnd(k)]; ok {
				ix.set(&out[i], model.ID(k[:16]))
			}
		}
	}
	return out, nil
}
