package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	mar1 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mar5 = time.Date(2026, 3, 5, 10, 30, 0, 0, time.UTC)
	mar9 = time.Date(2026, 3, 9, 16, 0, 0, 0, time.UTC)
)

func TestNewDeal(t *testing.T) {
	p := DefaultPipeline()
	shanghai := time.FixedZone("CST", 8*3600)
	d, err := NewDeal(p, "ERP", "", mar1.In(shanghai))
	if err != nil {
		t.Fatal(err)
	}
	want := Deal{Title: "ERP", Stage: "lead", Status: StatusOpen, CreatedAt: mar1,
		History: []StageMove{{Stage: "lead", At: mar1}}}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("got  %+v\nwant %+v", d, want)
	}
	if d.History[0].At.Location() != time.UTC || d.CreatedAt.Location() != time.UTC {
		t.Error("times not in UTC")
	}
	if d, err := NewDeal(p, "x", "Proposal", mar1); err != nil || d.Stage != "proposal" {
		t.Errorf("NewDeal at Proposal = %+v, %v", d, err)
	}
	if d, err := NewDeal(p, "x", "won", mar1); err != nil || d.Status != StatusWon || !d.ClosedAt.Equal(mar1) {
		t.Errorf("NewDeal at won = %+v, %v", d, err)
	}
	_, err = NewDeal(p, "x", "closing", mar1)
	expectInvalid(t, err, "stage")
	_, err = NewDeal(Pipeline{}, "x", "", mar1)
	expectInvalid(t, err, "stage")
}

func TestDealMove(t *testing.T) {
	p := DefaultPipeline()
	type step struct {
		stage, reason string
		at            time.Time
	}
	tests := []struct {
		name                string
		steps               []step
		stage, status, lost string
		closedAt            time.Time
		history             []StageMove
	}{
		{
			name:    "forward through open stages",
			steps:   []step{{"qualified", "", mar5}, {"proposal", "", mar9}},
			stage:   "proposal",
			status:  StatusOpen,
			history: []StageMove{{"lead", mar1}, {"qualified", mar5}, {"proposal", mar9}},
		},
		{
			name:     "won closes the deal",
			steps:    []step{{"WON", "ignored", mar5}},
			stage:    "won",
			status:   StatusWon,
			closedAt: mar5,
			history:  []StageMove{{"lead", mar1}, {"won", mar5}},
		},
		{
			name:     "lost takes a reason",
			steps:    []step{{"lost", "  price  ", mar5}},
			stage:    "lost",
			status:   StatusLost,
			lost:     "price",
			closedAt: mar5,
			history:  []StageMove{{"lead", mar1}, {"lost", mar5}},
		},
		{
			name:     "moving to the same lost stage updates the reason only",
			steps:    []step{{"lost", "price", mar5}, {"lost", "timing", mar9}},
			stage:    "lost",
			status:   StatusLost,
			lost:     "timing",
			closedAt: mar5,
			history:  []StageMove{{"lead", mar1}, {"lost", mar5}},
		},
		{
			name:    "moving to the current stage records nothing",
			steps:   []step{{"lead", "", mar5}},
			stage:   "lead",
			status:  StatusOpen,
			history: []StageMove{{"lead", mar1}},
		},
		{
			name:    "reopening clears the close",
			steps:   []step{{"lost", "price", mar5}, {"negotiation", "", mar9}},
			stage:   "negotiation",
			status:  StatusOpen,
			history: []StageMove{{"lead", mar1}, {"lost", mar5}, {"negotiation", mar9}},
		},
		{
			name:     "lost then won forgets the reason",
			steps:    []step{{"lost", "price", mar5}, {"won", "", mar9}},
			stage:    "won",
			status:   StatusWon,
			closedAt: mar9,
			history:  []StageMove{{"lead", mar1}, {"lost", mar5}, {"won", mar9}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDeal(p, "ERP", "", mar1)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.steps {
				if err := d.Move(p, s.stage, s.at, s.reason); err != nil {
					t.Fatal(err)
				}
			}
			if d.Stage != tt.stage || d.Status != tt.status || d.LostReason != tt.lost || !d.ClosedAt.Equal(tt.closedAt) {
				t.Errorf("stage %q status %q reason %q closed %v; want %q %q %q %v",
					d.Stage, d.Status, d.LostReason, d.ClosedAt, tt.stage, tt.status, tt.lost, tt.closedAt)
			}
			if !reflect.DeepEqual(d.History, tt.history) {
				t.Errorf("history %v, want %v", d.History, tt.history)
			}
			if err := d.Normalize(p, Rules{}); err != nil {
				t.Errorf("a deal after Move does not normalise: %v", err)
			}
		})
	}
}

func TestDealMoveUnknownStage(t *testing.T) {
	p := DefaultPipeline()
	d, _ := NewDeal(p, "ERP", "", mar1)
	before := d
	expectInvalid(t, d.Move(p, "closing", mar5, ""), "stage")
	if !reflect.DeepEqual(d, before) {
		t.Errorf("a failed move changed the deal: %+v", d)
	}
}

func TestDealMoveWithoutHistory(t *testing.T) {
	// An imported deal may carry a stage but no history yet.
	d := Deal{Title: "x", Stage: "proposal"}
	if err := d.Move(DefaultPipeline(), "proposal", mar1, ""); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.History, []StageMove{{"proposal", mar1}}) {
		t.Errorf("history %v", d.History)
	}
}

func TestDealEnteredStage(t *testing.T) {
	p := DefaultPipeline()
	d, _ := NewDeal(p, "x", "", mar1)
	_ = d.Move(p, "proposal", mar5, "")
	_ = d.Move(p, "lead", mar9, "")
	if got := d.EnteredStage(); !got.Equal(mar9) {
		t.Errorf("EnteredStage() = %v, want %v", got, mar9)
	}
	if got := (Deal{Stage: "lead", CreatedAt: mar1}).EnteredStage(); !got.Equal(mar1) {
		t.Errorf("EnteredStage() without history = %v, want the creation time", got)
	}
}

func TestDealNormalize(t *testing.T) {
	p := DefaultPipeline()
	cny := Rules{Currency: "CNY"}
	tests := []struct {
		name  string
		in    Deal
		rules Rules
		want  Deal
	}{
		{"trims, canonical stage, default currency",
			Deal{Title: " ERP ", Stage: "Lead", Value: Money{Minor: 100}}, cny,
			Deal{Title: "ERP", Stage: "lead", Status: StatusOpen, Value: Money{100, "CNY"}, Tags: []string{}}},
		{"currency upper-cased",
			Deal{Title: "x", Stage: "lead", Value: Money{100, "usd"}}, cny,
			Deal{Title: "x", Stage: "lead", Status: StatusOpen, Value: Money{100, "USD"}, Tags: []string{}}},
		{"no amount needs no currency",
			Deal{Title: "x", Stage: "lead"}, Rules{},
			Deal{Title: "x", Stage: "lead", Status: StatusOpen, Tags: []string{}}},
		{"status follows the stage; an open deal has no close",
			Deal{Title: "x", Stage: "proposal", Status: StatusWon, ClosedAt: mar1, LostReason: "price"}, Rules{},
			Deal{Title: "x", Stage: "proposal", Status: StatusOpen, Tags: []string{}}},
		{"a won deal has no lost reason",
			Deal{Title: "x", Stage: "won", ClosedAt: mar1, LostReason: "price"}, Rules{},
			Deal{Title: "x", Stage: "won", Status: StatusWon, ClosedAt: mar1, Tags: []string{}}},
		{"a lost deal keeps its reason",
			Deal{Title: "x", Stage: "lost", ClosedAt: mar1, LostReason: "price"}, Rules{},
			Deal{Title: "x", Stage: "lost", Status: StatusLost, ClosedAt: mar1, LostReason: "price", Tags: []string{}}},
		{"tags and custom",
			Deal{Title: "x", Stage: "lead", Tags: []string{"a", "A"}, Custom: map[string]string{}}, Rules{},
			Deal{Title: "x", Stage: "lead", Status: StatusOpen, Tags: []string{"a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.in
			if err := d.Normalize(p, tt.rules); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", d, tt.want)
			}
		})
	}
}

func TestDealNormalizeErrors(t *testing.T) {
	p := DefaultPipeline()
	tests := []struct {
		name  string
		d     Deal
		rules Rules
		field string
	}{
		{"no title", Deal{Title: " ", Stage: "lead"}, Rules{}, "title"},
		{"unknown stage", Deal{Title: "x", Stage: "closing"}, Rules{}, "stage"},
		{"negative amount", Deal{Title: "x", Stage: "lead", Value: Money{-100, "USD"}}, Rules{}, "amount"},
		{"bad currency", Deal{Title: "x", Stage: "lead", Value: Money{100, "US"}}, Rules{}, "currency"},
		{"amount without currency", Deal{Title: "x", Stage: "lead", Value: Money{Minor: 100}}, Rules{}, "currency"},
		{"probability above 100", Deal{Title: "x", Stage: "lead", Probability: pointerTo(101)}, Rules{}, "probability"},
		{"probability below 0", Deal{Title: "x", Stage: "lead", Probability: pointerTo(-1)}, Rules{}, "probability"},
		{"won without close time", Deal{Title: "x", Stage: "won"}, Rules{}, "closed_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectInvalid(t, tt.d.Normalize(p, tt.rules), tt.field) })
	}
}

func pointerTo[T any](v T) *T { return &v }

func TestDealProbability(t *testing.T) {
	p := DefaultPipeline()
	tests := []struct {
		stage    string
		override *int
		want     int
		weighted int64
	}{
		{"lead", nil, 10, 10000},
		{"proposal", nil, 50, 50000},
		{"proposal", pointerTo(60), 60, 60000},
		{"proposal", pointerTo(0), 0, 0},
		{"won", pointerTo(60), 100, 100000}, // decided: the override no longer applies
		{"lost", pointerTo(60), 0, 0},
		{"gone", nil, 0, 0},
	}
	for _, tt := range tests {
		d := Deal{Stage: tt.stage, Probability: tt.override, Value: Money{100000, "USD"}}
		if got := d.ProbabilityIn(p); got != tt.want {
			t.Errorf("ProbabilityIn(%s, %v) = %d, want %d", tt.stage, tt.override, got, tt.want)
		}
		if got := d.Weighted(p); got != (Money{tt.weighted, "USD"}) {
			t.Errorf("Weighted(%s, %v) = %+v, want %d", tt.stage, tt.override, got, tt.weighted)
		}
	}
}

func fullDeal(t *testing.T) Deal {
	t.Helper()
	p := DefaultPipeline()
	d, err := NewDeal(p, "ERP rollout", "", mar1)
	if err != nil {
		t.Fatal(err)
	}
	_ = d.Move(p, "proposal", mar5, "")
	_ = d.Move(p, "lost", mar9, "budget cut")
	d.ID = NewID(mar1)
	d.ContactID = NewID(mar1)
	d.CompanyID = NewID(mar1)
	d.Value = Money{120050, "USD"}
	d.Probability = pointerTo(40)
	d.CloseDate = Date{2026, time.June, 30}
	d.Owner, d.Source = "li", "expo"
	d.Tags = []string{"q2"}
	d.Custom = map[string]string{"po": "A-1"}
	d.UpdatedAt = mar9
	if err := d.Normalize(p, Rules{}); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDealJSON(t *testing.T) {
	p := DefaultPipeline()
	bare, _ := NewDeal(p, "bare", "", mar1)
	_ = bare.Normalize(p, Rules{})
	jpy := fullDeal(t)
	jpy.Value = Money{3000, "JPY"}
	kwd := fullDeal(t)
	kwd.Value = Money{1000000, "KWD"}
	tests := []struct {
		name             string
		d                Deal
		amount, currency string
	}{
		{"full", fullDeal(t), `"1200.50"`, `"USD"`},
		{"bare", bare, `"0.00"`, `""`},
		{"JPY", jpy, `"3000"`, `"JPY"`},
		{"KWD", kwd, `"1000.000"`, `"KWD"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, keys := roundTripJSON(t, tt.d)
			if !reflect.DeepEqual(got, tt.d) {
				t.Errorf("round trip\ngot  %+v\nwant %+v", got, tt.d)
			}
			if string(keys["amount"]) != tt.amount || string(keys["currency"]) != tt.currency {
				t.Errorf("amount %s currency %s, want %s %s", keys["amount"], keys["currency"], tt.amount, tt.currency)
			}
			for _, k := range []string{"stage_history", "tags", "status", "stage"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("no %q key", k)
				}
			}
		})
	}
	b, _ := json.Marshal(Deal{Title: "x"})
	if !strings.Contains(string(b), `"stage_history":[]`) || !strings.Contains(string(b), `"tags":[]`) {
		t.Errorf("nil lists should be written as []: %s", b)
	}
}

func TestDealUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Money
	}{
		{`{"title":"x","amount":"1200.5","currency":"usd"}`, Money{120050, "USD"}},
		{`{"title":"x","amount":"3000","currency":"JPY"}`, Money{3000, "JPY"}},
		{`{"title":"x","amount":"","currency":"CNY"}`, Money{0, "CNY"}},
		{`{"title":"x"}`, Money{}},
	}
	for _, tt := range tests {
		var d Deal
		if err := json.Unmarshal([]byte(tt.in), &d); err != nil || d.Value != tt.want {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", tt.in, d.Value, err, tt.want)
		}
	}
	for _, in := range []string{`{"amount":"12.345","currency":"USD"}`, `{"amount":"abc","currency":"USD"}`, `{"amount":"1.5","currency":"JPY"}`} {
		var d Deal
		err := json.Unmarshal([]byte(in), &d)
		if err == nil {
			t.Errorf("Unmarshal(%s) accepted %+v", in, d.Value)
			continue
		}
		expectInvalid(t, err, "amount")
	}
}
