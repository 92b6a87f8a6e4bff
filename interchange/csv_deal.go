package interchange

import (
	"errors"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/interchange/csvmap"
	"github.com/rolo-crm/rolo/model"
)

// deal builds the deal a row describes; contact is the index of the
// contact read from the same row, or -1.
func (b *rowBuilder) deal(r *row, contact int) dealItem {
	di := dealItem{line: r.line, contact: contact, contactRef: r.text(csvmap.DealContact), company: r.text(csvmap.Company)}
	if b.m.DealRows {
		di.notes = r.notes
	}
	d := &di.d
	d.Title = r.text(csvmap.DealTitle)
	if d.Title == "" {
		r.fail("", errors.New("the deal has no title"))
	}
	d.Owner, d.Source, d.LostReason = r.text(csvmap.DealOwner), r.text(csvmap.DealSource), r.text(csvmap.DealLostReason)
	d.Tags, d.Custom = r.dealTags, nilIfEmpty(r.dealCustom)
	currency := strings.ToUpper(r.text(csvmap.DealCurrency))
	if currency == "" {
		currency = b.env.rules.Currency
	}
	d.Value.Currency = currency
	if a := r.single[csvmap.DealAmount]; a.text != "" {
		m, err := model.ParseMoney(a.text, currency)
		if err != nil {
			r.fail(a.header, err)
		}
		d.Value = m
	}
	if p := r.single[csvmap.DealProb]; p.text != "" {
		n, err := probabilityOf(p.text)
		if err != nil {
			r.fail(p.header, err)
		}
		d.Probability = &n
	}
	if cd := r.single[csvmap.DealCloseDate]; cd.text != "" {
		day, err := parseDay(cd.text)
		if err != nil {
			r.fail(cd.header, relabel(err, "close_date"))
		}
		d.CloseDate = day
	}
	b.dealIDs(r, d)
	b.dealStage(r, d)
	di.err = r.err()
	return di
}

// dealIDs reads the ids rolo's deals.csv carries.
func (b *rowBuilder) dealIDs(r *row, d *model.Deal) {
	for _, f := range []struct {
		field csvmap.Field
		dst   *model.ID
	}{{csvmap.DealID, &d.ID}, {csvmap.DealContactID, &d.ContactID}, {csvmap.DealCompanyID, &d.CompanyID}} {
		if v := r.single[f.field]; v.text != "" {
			id, err := model.ParseID(v.text)
			if err != nil {
				r.fail(v.header, &model.FieldError{Field: "id", Value: v.text, Reason: "not a rolo id"})
			}
			*f.dst = id
		}
	}
}

// dealStage places the deal in the pipeline with its history: rolo's
// stage_history when the file has it, else one move into its stage when
// it was created (or, for a closed deal, when it closed).
func (b *rowBuilder) dealStage(r *row, d *model.Deal) {
	p := b.env.pipeline
	stage, err := stageOf(p, r.text(csvmap.DealStage), r.text(csvmap.DealStatus))
	if err != nil {
		r.fail(r.single[csvmap.DealStage].header, err)
		return
	}
	times := map[csvmap.Field]time.Time{}
	for _, f := range []csvmap.Field{csvmap.DealCreatedAt, csvmap.DealUpdatedAt, csvmap.DealClosedAt, csvmap.DealWonAt, csvmap.DealLostAt} {
		if v := r.single[f]; v.text != "" {
			t, err := parseTime(v.text)
			if err != nil {
				r.fail(v.header, relabel(err, strings.TrimPrefix(string(f), "deal.")))
			}
			times[f] = t
		}
	}
	d.CreatedAt, d.UpdatedAt = times[csvmap.DealCreatedAt], times[csvmap.DealUpdatedAt]
	closedAt := times[csvmap.DealClosedAt]
	switch {
	case !closedAt.IsZero():
	case stage.Won:
		closedAt = times[csvmap.DealWonAt]
	case stage.Lost:
		closedAt = times[csvmap.DealLostAt]
	}
	if h := r.single[csvmap.DealHistory]; h.text != "" {
		hist, err := parseHistory(h.text)
		if err != nil {
			r.fail(h.header, err)
			return
		}
		d.History, d.Stage, d.ClosedAt = hist, stage.Key, closedAt
		return
	}
	if stage.Closed() && closedAt.IsZero() && !d.CloseDate.IsZero() {
		closedAt = d.CloseDate.In(time.Local).UTC() // no closing time: the day it closed
	}
	at := d.CreatedAt
	if stage.Closed() && !closedAt.IsZero() {
		at = closedAt
	}
	if at.IsZero() {
		at = b.env.now
	}
	if err := d.Move(p, stage.Key, at, d.LostReason); err != nil {
		r.fail("", err)
	}
}

// parseHistory reads rolo's stage_history column: "lead 2026-01-05T09:00:00Z; qualified 2026-02-01T10:00:00Z".
func parseHistory(s string) ([]model.StageMove, error) {
	var out []model.StageMove
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		stage, at, ok := strings.Cut(part, " ")
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(at))
		if !ok || err != nil {
			return nil, &model.FieldError{Field: "stage_history", Value: part, Reason: `write each move as "stage 2026-01-05T09:00:00Z"`}
		}
		out = append(out, model.StageMove{Stage: stage, At: t.UTC()})
	}
	return out, nil
}
