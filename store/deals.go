package store

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var deals = &table[model.Deal]{
	entity: model.EntityDeal,
	bucket: bDeals,
	idOf:   func(d *model.Deal) *model.ID { return &d.ID },
	times: func(d *model.Deal) (*time.Time, *time.Time) {
		return &d.CreatedAt, &d.UpdatedAt
	},
	encode:  encodeDeal,
	decode:  decodeDeal,
	indexes: dealIndexes,
}

func dealIndexes(_ *Tx, d *model.Deal) []ixEntry {
	out := []ixEntry{{bucket: ixDealStage, key: textKey(d.Stage, d.ID)}}
	if !d.ContactID.IsZero() {
		out = append(out, ixEntry{bucket: ixContactDeals, key: pairKey(d.ContactID, d.ID)})
	}
	if !d.CompanyID.IsZero() {
		out = append(out, ixEntry{bucket: ixCompanyDeals, key: pairKey(d.CompanyID, d.ID)})
	}
	return append(out, tagEntries(model.EntityDeal, d.Tags, d.ID)...)
}

// Deal returns the deal with the given id.
func (tx *Tx) Deal(id model.ID) (model.Deal, error) { return deals.get(tx, id) }

// PutDeal validates d against the pipeline and saves it. A deal without a
// stage history gets one entry for its current stage.
func (tx *Tx) PutDeal(d *model.Deal) error {
	p := tx.s.opts.Pipeline
	if len(d.History) == 0 && d.Stage != "" {
		at := d.CreatedAt
		if at.IsZero() {
			at = tx.now
		}
		stage := d.Stage
		d.Stage = ""
		if err := d.Move(p, stage, at, d.LostReason); err != nil {
			return err
		}
	}
	if d.Stage == "" {
		if err := d.Move(p, p.First().Key, tx.now, ""); err != nil {
			return err
		}
	}
	if err := d.Normalize(p, tx.s.opts.Rules); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityContact, d.ContactID, "contact_id"); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityCompany, d.CompanyID, "company_id"); err != nil {
		return err
	}
	if d.ID.IsZero() && d.CompanyID.IsZero() && !d.ContactID.IsZero() {
		if c, err := contacts.get(tx, d.ContactID); err == nil {
			d.CompanyID = c.CompanyID // a new deal with a contact is with the contact's company
		}
	}
	_, err := deals.save(tx, d)
	return err
}

// MoveDeal moves a deal to another stage now, recording the move.
func (tx *Tx) MoveDeal(id model.ID, stage, reason string) (model.Deal, error) {
	d, err := deals.get(tx, id)
	if err != nil {
		return d, err
	}
	if err := d.Move(tx.s.opts.Pipeline, stage, tx.now, reason); err != nil {
		return d, err
	}
	return d, tx.PutDeal(&d)
}

// DeleteDeal deletes a deal and its follow-up tasks; its activities stay
// with their contact (those linked to nothing else are deleted).
func (tx *Tx) DeleteDeal(id model.ID) (Removal, error) {
	var r Removal
	d, err := deals.remove(tx, id)
	if err != nil {
		return r, err
	}
	r.Deals = append(r.Deals, d)
	if err := removeLinked(tx, ixDealTasks, id, tasks, &r.Tasks); err != nil {
		return r, err
	}
	for _, aid := range tx.linked(ixDealActs, id) {
		a, err := activities.get(tx, aid)
		if err != nil {
			return r, err
		}
		r.Activities = append(r.Activities, a)
		if a.ContactID.IsZero() && a.CompanyID.IsZero() {
			if _, err := activities.remove(tx, aid); err != nil {
				return r, err
			}
			continue
		}
		a.DealID = model.ID{}
		if _, err := activities.save(tx, &a); err != nil {
			return r, err
		}
	}
	return r, nil
}

// DealQuery selects deals; zero fields do not filter.
type DealQuery struct {
	Stage     string
	Status    string // open, won or lost
	ContactID model.ID
	CompanyID model.ID
	Tag       string
	Search    string // matched against the title
	Limit     int
}

// Deals returns the deals matching q in pipeline order (stage, then
// expected close date, then creation).
func (tx *Tx) Deals(q DealQuery) ([]model.Deal, error) {
	// Stage keys are matched ignoring case everywhere else; the index
	// holds the pipeline's spelling.
	if st, ok := tx.s.opts.Pipeline.Stage(q.Stage); ok {
		q.Stage = st.Key
	}
	q.Status = strings.ToLower(q.Status)
	var ids []model.ID
	useIndex := !q.ContactID.IsZero() || !q.CompanyID.IsZero() || q.Stage != ""
	switch {
	case !q.ContactID.IsZero():
		ids = tx.linked(ixContactDeals, q.ContactID)
	case !q.CompanyID.IsZero():
		ids = tx.linked(ixCompanyDeals, q.CompanyID)
	case q.Stage != "":
		ids = tx.idsWithText(ixDealStage, q.Stage)
	}
	var out []model.Deal
	keep := func(d *model.Deal) error {
		if dealMatches(d, q) {
			out = append(out, *d)
		}
		return nil
	}
	if useIndex {
		for _, id := range ids {
			d, err := deals.get(tx, id)
			if err != nil {
				return nil, err
			}
			keep(&d)
		}
	} else if err := deals.each(tx, keep); err != nil {
		return nil, err
	}
	p := tx.s.opts.Pipeline
	slices.SortStableFunc(out, func(a, b model.Deal) int {
		return cmp.Or(cmp.Compare(p.Index(a.Stage), p.Index(b.Stage)),
			closeOrder(a.CloseDate, b.CloseDate), a.ID.Compare(b.ID))
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// closeOrder sorts deals with a close date first, earliest first.
func closeOrder(a, b model.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func dealMatches(d *model.Deal, q DealQuery) bool {
	switch {
	case q.Stage != "" && d.Stage != q.Stage,
		q.Status != "" && d.Status != q.Status,
		!q.ContactID.IsZero() && d.ContactID != q.ContactID,
		!q.CompanyID.IsZero() && d.CompanyID != q.CompanyID,
		q.Tag != "" && !model.HasTag(d.Tags, q.Tag):
		return false
	}
	if q.Search != "" {
		hay := model.Haystack(model.NameTerms(d.Title)...)
		if ok, _ := model.MatchTerms(hay, model.QueryTerms(q.Search)); !ok {
			return false
		}
	}
	return true
}

// ResolveDeal finds the deal a user means by ref: an id, or a title
// search matching exactly one deal (an exact title wins).
func (tx *Tx) ResolveDeal(ref string) (model.Deal, error) {
	ref = strings.TrimSpace(ref)
	if model.LooksLikeID(ref) {
		id, _ := model.ParseID(ref)
		return deals.get(tx, id)
	}
	found, err := tx.Deals(DealQuery{Search: ref})
	if err != nil {
		return model.Deal{}, err
	}
	var exact, all []model.ID
	for _, d := range found {
		all = append(all, d.ID)
		if model.Fold(d.Title) == model.Fold(ref) {
			exact = append(exact, d.ID)
		}
	}
	if len(exact) > 0 {
		all = exact
	}
	return pickOne(tx, deals, all, ref)
}

// EachDeal calls fn with every deal in creation order.
func (tx *Tx) EachDeal(fn func(*model.Deal) error) error { return deals.each(tx, fn) }

// CountDeals returns the number of deals.
func (tx *Tx) CountDeals() int { return deals.count(tx) }
