package model

import (
	"encoding/json"
	"strings"
	"time"
)

// Deal statuses.
const (
	StatusOpen = "open"
	StatusWon  = "won"
	StatusLost = "lost"
)

// Deal is a sale moving through the pipeline.
type Deal struct {
	ID          ID                `json:"id"`
	Title       string            `json:"title"`
	ContactID   ID                `json:"contact_id,omitzero"`
	CompanyID   ID                `json:"company_id,omitzero"`
	Value       Money             `json:"-"`
	Stage       string            `json:"stage"`
	Probability *int              `json:"probability_override,omitempty"`
	Status      string            `json:"status"`
	CloseDate   Date              `json:"close_date,omitzero"`
	ClosedAt    time.Time         `json:"closed_at,omitzero"`
	LostReason  string            `json:"lost_reason,omitempty"`
	History     []StageMove       `json:"stage_history"`
	Owner       string            `json:"owner,omitempty"`
	Source      string            `json:"source,omitempty"`
	Tags        []string          `json:"tags"`
	Custom      map[string]string `json:"custom,omitempty"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// StageMove records a deal entering a stage. Sales cycle and velocity
// reports are computed from these.
type StageMove struct {
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
}

// NewDeal prepares a deal entering the pipeline at stage (the first open
// stage when empty) at time at.
func NewDeal(p Pipeline, title, stage string, at time.Time) (Deal, error) {
	d := Deal{Title: title, Status: StatusOpen, CreatedAt: at.UTC()}
	if stage == "" {
		stage = p.First().Key
	}
	if err := d.Move(p, stage, at, ""); err != nil {
		return Deal{}, err
	}
	return d, nil
}

// Normalize validates d against the pipeline.
func (d *Deal) Normalize(p Pipeline, r Rules) error {
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		return invalid("title", "", "model.deal.title")
	}
	st, ok := p.Stage(d.Stage)
	if !ok {
		return p.unknown(d.Stage)
	}
	d.Stage = st.Key
	d.Status = statusOf(st)
	d.Value.Currency = strings.ToUpper(strings.TrimSpace(d.Value.Currency))
	if d.Value.Currency == "" {
		d.Value.Currency = strings.ToUpper(r.Currency)
	}
	if d.Value.Currency != "" && !ValidCurrency(d.Value.Currency) {
		return invalid("currency", d.Value.Currency, "model.currency.code")
	}
	if d.Value.Minor != 0 && d.Value.Currency == "" {
		return invalid("currency", "", "model.currency.needed")
	}
	if d.Value.Minor < 0 {
		return invalid("amount", d.Value.Decimal(), "model.amount.negative")
	}
	if d.Probability != nil && (*d.Probability < 0 || *d.Probability > 100) {
		return invalid("probability", "", "model.percent")
	}
	if st.Closed() && d.ClosedAt.IsZero() {
		return invalid("closed_at", "", "model.deal.closed")
	}
	if !st.Closed() {
		d.ClosedAt = time.Time{}
	}
	if !st.Lost {
		d.LostReason = ""
	}
	d.Tags = NormalizeTags(d.Tags)
	d.Custom = normalizeCustom(d.Custom)
	return nil
}

func statusOf(s Stage) string {
	switch {
	case s.Won:
		return StatusWon
	case s.Lost:
		return StatusLost
	}
	return StatusOpen
}

// Move puts the deal in stage at time at and records the move. Moving to a
// won or lost stage closes the deal (reason is kept for a lost deal);
// moving back to an open stage reopens it.
func (d *Deal) Move(p Pipeline, stage string, at time.Time, reason string) error {
	st, ok := p.Stage(stage)
	if !ok {
		return p.unknown(stage)
	}
	if st.Key == d.Stage && len(d.History) > 0 {
		if st.Lost && reason != "" {
			d.LostReason = strings.TrimSpace(reason)
		}
		return nil
	}
	d.Stage = st.Key
	d.Status = statusOf(st)
	d.History = append(d.History, StageMove{Stage: st.Key, At: at.UTC()})
	switch {
	case st.Won:
		d.ClosedAt, d.LostReason = at.UTC(), ""
	case st.Lost:
		d.ClosedAt, d.LostReason = at.UTC(), strings.TrimSpace(reason)
	default:
		d.ClosedAt, d.LostReason = time.Time{}, ""
	}
	return nil
}

// ProbabilityIn returns the deal's win probability in percent: its override
// when set, else its stage's default. A won or lost deal is decided, so it
// always takes its stage's probability.
func (d Deal) ProbabilityIn(p Pipeline) int {
	st, _ := p.Stage(d.Stage)
	if d.Probability != nil && !st.Closed() {
		return *d.Probability
	}
	return st.Probability
}

// Weighted returns the value weighted by the win probability.
func (d Deal) Weighted(p Pipeline) Money {
	return Money{Minor: d.Value.Minor * int64(d.ProbabilityIn(p)) / 100, Currency: d.Value.Currency}
}

// EnteredStage returns when the deal entered its current stage.
func (d Deal) EnteredStage() time.Time {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Stage == d.Stage {
			return d.History[i].At
		}
	}
	return d.CreatedAt
}

type dealJSON struct {
	dealFields
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type dealFields Deal

// MarshalJSON writes the stable JSON shape: amount as a decimal string
// beside its currency.
func (d Deal) MarshalJSON() ([]byte, error) {
	return d.AppendJSON(make([]byte, 0, 512))
}

// AppendJSON appends the JSON MarshalJSON writes to b. On error it
// returns b unchanged.
func (d *Deal) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.raw(`{"id":`)
	w.id(d.ID)
	w.raw(`,"title":`)
	w.str(d.Title)
	w.optID(`,"contact_id":`, d.ContactID)
	w.optID(`,"company_id":`, d.CompanyID)
	w.raw(`,"stage":`)
	w.str(d.Stage)
	if d.Probability != nil {
		w.raw(`,"probability_override":`)
		w.int(*d.Probability)
	}
	w.raw(`,"status":`)
	w.str(d.Status)
	w.optDate(`,"close_date":`, d.CloseDate)
	w.optTime(`,"closed_at":`, d.ClosedAt)
	w.optStr(`,"lost_reason":`, d.LostReason)
	w.raw(`,"stage_history":[`)
	for i, m := range d.History {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"stage":`)
		w.str(m.Stage)
		w.raw(`,"at":`)
		w.time(m.At)
		w.raw("}")
	}
	w.raw("]")
	w.optStr(`,"owner":`, d.Owner)
	w.optStr(`,"source":`, d.Source)
	w.raw(`,"tags":`)
	w.strs(d.Tags)
	w.custom(`,"custom":`, d.Custom)
	w.raw(`,"created_at":`)
	w.time(d.CreatedAt)
	w.raw(`,"updated_at":`)
	w.time(d.UpdatedAt)
	w.raw(`,"amount":`)
	w.str(d.Value.Decimal())
	w.raw(`,"currency":`)
	w.str(d.Value.Currency)
	w.raw("}")
	return w.result(b)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Deal) UnmarshalJSON(b []byte) error {
	j := dealJSON{dealFields: dealFields(*d)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Deal(j.dealFields)
	d.Value.Currency = strings.ToUpper(j.Currency)
	if j.Amount == "" {
		d.Value.Minor = 0
		return nil
	}
	minor, err := parseAmount(j.Amount, MinorDigits(d.Value.Currency))
	if err != nil {
		return invalidBy("amount", j.Amount, err)
	}
	d.Value.Minor = minor
	return nil
}
