package model

import (
	"slices"
	"strings"
	"time"
)

// Activity kinds.
const (
	KindCall      = "call"
	KindEmail     = "email"
	KindMeeting   = "meeting"
	KindVisit     = "visit"
	KindMessage   = "message"
	KindNote      = "note"
	KindComplaint = "complaint"
	KindFeedback  = "feedback"
)

// ActivityKinds lists every activity kind.
var ActivityKinds = []string{
	KindCall, KindEmail, KindMeeting, KindVisit, KindMessage, KindNote, KindComplaint, KindFeedback,
}

// Complaint states.
const (
	ComplaintOpen     = "open"
	ComplaintResolved = "resolved"
)

// Activity is one interaction: a call, an email, a WeChat message, a
// meeting, a note. Activities are append-only: once logged only a
// complaint's state changes.
type Activity struct {
	ID         ID        `json:"id"`
	Kind       string    `json:"kind"`
	At         time.Time `json:"at"`
	Direction  string    `json:"direction,omitempty"`
	Channel    string    `json:"channel,omitempty"`
	ContactID  ID        `json:"contact_id,omitzero"`
	DealID     ID        `json:"deal_id,omitzero"`
	CompanyID  ID        `json:"company_id,omitzero"`
	Body       string    `json:"body"`
	Score      *int      `json:"score,omitempty"`
	State      string    `json:"state,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	Owner      string    `json:"owner,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// IsActivityKind reports whether s names an activity kind.
func IsActivityKind(s string) bool { return slices.Contains(ActivityKinds, s) }

// Normalize validates a.
func (a *Activity) Normalize(Rules) error {
	a.Kind = strings.ToLower(strings.TrimSpace(a.Kind))
	if !IsActivityKind(a.Kind) {
		return invalid("kind", a.Kind, "model.oneof", strings.Join(ActivityKinds, ", "))
	}
	if a.At.IsZero() {
		return invalid("at", "", "model.activity.at")
	}
	a.At = a.At.UTC()
	switch strings.ToLower(strings.TrimSpace(a.Direction)) {
	case "":
	case "in", "inbound", "incoming":
		a.Direction = "in"
	case "out", "outbound", "outgoing":
		a.Direction = "out"
	default:
		return invalid("direction", a.Direction, "model.oneof", "in, out")
	}
	if a.ContactID.IsZero() && a.DealID.IsZero() && a.CompanyID.IsZero() {
		return invalid("contact", "", "model.activity.link")
	}
	switch {
	case a.Kind == KindFeedback && a.Score == nil:
		return invalid("score", "", "model.score.needed")
	case a.Score != nil && (*a.Score < 0 || *a.Score > 10):
		return invalid("score", "", "model.score.range")
	case a.Score != nil && a.Kind != KindFeedback:
		return invalid("score", "", "model.score.only")
	}
	if a.Kind != KindComplaint {
		if a.State != "" {
			return invalid("state", a.State, "model.state.only")
		}
		if !a.ResolvedAt.IsZero() {
			return invalid("resolved_at", "", "model.resolved.only")
		}
		return nil
	}
	switch a.State = strings.ToLower(strings.TrimSpace(a.State)); a.State {
	case "", ComplaintOpen:
		a.State, a.ResolvedAt = ComplaintOpen, time.Time{}
	case ComplaintResolved:
		if a.ResolvedAt.IsZero() {
			return invalid("resolved_at", "", "model.resolved.time")
		}
		if a.ResolvedAt.Before(a.At) {
			return invalid("resolved_at", a.ResolvedAt.Format(time.RFC3339), "model.resolved.early")
		}
		a.ResolvedAt = a.ResolvedAt.UTC()
	default:
		return invalid("state", a.State, "model.oneof", "open, resolved")
	}
	return nil
}

// Resolve marks a complaint resolved at time at.
func (a *Activity) Resolve(at time.Time) error {
	if a.Kind != KindComplaint {
		return invalid("kind", a.Kind, "model.resolve.only")
	}
	a.State, a.ResolvedAt = ComplaintResolved, at.UTC()
	return nil
}

// AppendJSON appends the activity's JSON, as json.Marshal writes it, to
// b. On error it returns b unchanged. (Activity has no MarshalJSON, for
// the reason given on Company.AppendJSON.)
func (a *Activity) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.raw(`{"id":`)
	w.id(a.ID)
	w.raw(`,"kind":`)
	w.str(a.Kind)
	w.raw(`,"at":`)
	w.time(a.At)
	w.optStr(`,"direction":`, a.Direction)
	w.optStr(`,"channel":`, a.Channel)
	w.optID(`,"contact_id":`, a.ContactID)
	w.optID(`,"deal_id":`, a.DealID)
	w.optID(`,"company_id":`, a.CompanyID)
	w.raw(`,"body":`)
	w.str(a.Body)
	if a.Score != nil {
		w.raw(`,"score":`)
		w.int(*a.Score)
	}
	w.optStr(`,"state":`, a.State)
	w.optTime(`,"resolved_at":`, a.ResolvedAt)
	w.optStr(`,"owner":`, a.Owner)
	w.raw(`,"created_at":`)
	w.time(a.CreatedAt)
	w.raw("}")
	return w.result(b)
}
