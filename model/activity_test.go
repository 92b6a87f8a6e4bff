package model

import (
	"reflect"
	"testing"
	"time"
)

func TestActivityNormalize(t *testing.T) {
	contact := NewID(mar1)
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name string
		in   Activity
		want Activity
	}{
		{"kind and direction canonical, time in UTC",
			Activity{Kind: " Call ", At: mar1.In(shanghai), Direction: " Outbound ", ContactID: contact},
			Activity{Kind: KindCall, At: mar1, Direction: "out", ContactID: contact}},
		{"incoming WeChat message",
			Activity{Kind: "message", Channel: "wechat", At: mar1, Direction: "incoming", ContactID: contact, Body: "在吗"},
			Activity{Kind: KindMessage, Channel: "wechat", At: mar1, Direction: "in", ContactID: contact, Body: "在吗"}},
		{"linked to a deal only",
			Activity{Kind: "note", At: mar1, DealID: contact},
			Activity{Kind: KindNote, At: mar1, DealID: contact}},
		{"feedback with a score",
			Activity{Kind: "feedback", At: mar1, ContactID: contact, Score: pointerTo(0)},
			Activity{Kind: KindFeedback, At: mar1, ContactID: contact, Score: pointerTo(0)}},
		{"feedback scores up to 10",
			Activity{Kind: "feedback", At: mar1, ContactID: contact, Score: pointerTo(10)},
			Activity{Kind: KindFeedback, At: mar1, ContactID: contact, Score: pointerTo(10)}},
		{"a complaint starts open",
			Activity{Kind: "complaint", At: mar1, ContactID: contact},
			Activity{Kind: KindComplaint, At: mar1, ContactID: contact, State: ComplaintOpen}},
		{"an open complaint has no resolution time",
			Activity{Kind: "complaint", At: mar1, ContactID: contact, State: "Open", ResolvedAt: mar5},
			Activity{Kind: KindComplaint, At: mar1, ContactID: contact, State: ComplaintOpen}},
		{"a resolved complaint",
			Activity{Kind: "complaint", At: mar1, ContactID: contact, State: "resolved", ResolvedAt: mar5.In(shanghai)},
			Activity{Kind: KindComplaint, At: mar1, ContactID: contact, State: ComplaintResolved, ResolvedAt: mar5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.in
			if err := a.Normalize(Rules{}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", a, tt.want)
			}
		})
	}
}

func TestActivityNormalizeErrors(t *testing.T) {
	c := NewID(mar1)
	tests := []struct {
		name  string
		a     Activity
		field string
	}{
		{"unknown kind", Activity{Kind: "fax", At: mar1, ContactID: c}, "kind"},
		{"no time", Activity{Kind: "call", ContactID: c}, "at"},
		{"bad direction", Activity{Kind: "call", At: mar1, ContactID: c, Direction: "sideways"}, "direction"},
		{"no link", Activity{Kind: "call", At: mar1}, "contact"},
		{"feedback without a score", Activity{Kind: "feedback", At: mar1, ContactID: c}, "score"},
		{"score above 10", Activity{Kind: "feedback", At: mar1, ContactID: c, Score: pointerTo(11)}, "score"},
		{"score below 0", Activity{Kind: "feedback", At: mar1, ContactID: c, Score: pointerTo(-1)}, "score"},
		{"score on a call", Activity{Kind: "call", At: mar1, ContactID: c, Score: pointerTo(5)}, "score"},
		{"unknown complaint state", Activity{Kind: "complaint", At: mar1, ContactID: c, State: "pending"}, "state"},
		{"resolved without a time", Activity{Kind: "complaint", At: mar1, ContactID: c, State: "resolved"}, "resolved_at"},
		{"resolved before it was made", Activity{Kind: "complaint", At: mar5, ContactID: c, State: "resolved", ResolvedAt: mar1}, "resolved_at"},
		{"state on a call", Activity{Kind: "call", At: mar1, ContactID: c, State: "open"}, "state"},
		{"resolution time on a call", Activity{Kind: "call", At: mar1, ContactID: c, ResolvedAt: mar5}, "resolved_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectInvalid(t, tt.a.Normalize(Rules{}), tt.field) })
	}
}

func TestActivityResolve(t *testing.T) {
	a := Activity{Kind: KindComplaint, At: mar1, ContactID: NewID(mar1)}
	if err := a.Normalize(Rules{}); err != nil {
		t.Fatal(err)
	}
	if err := a.Resolve(mar5.In(time.FixedZone("CST", 8*3600))); err != nil {
		t.Fatal(err)
	}
	if a.State != ComplaintResolved || !a.ResolvedAt.Equal(mar5) || a.ResolvedAt.Location() != time.UTC {
		t.Errorf("after Resolve: %+v", a)
	}
	if err := a.Normalize(Rules{}); err != nil {
		t.Errorf("a resolved complaint does not normalise: %v", err)
	}
	note := Activity{Kind: KindNote, At: mar1}
	expectInvalid(t, note.Resolve(mar5), "kind")
	if note.State != "" || !note.ResolvedAt.IsZero() {
		t.Errorf("a failed Resolve changed the note: %+v", note)
	}
}

func TestIsActivityKind(t *testing.T) {
	for _, k := range []string{"call", "email", "meeting", "visit", "message", "note", "complaint", "feedback"} {
		if !IsActivityKind(k) {
			t.Errorf("IsActivityKind(%q) = false", k)
		}
	}
	if IsActivityKind("Call") || IsActivityKind("") {
		t.Error("IsActivityKind accepts a non-canonical kind")
	}
}

func fullActivity() Activity {
	return Activity{ID: NewID(mar1), Kind: KindComplaint, At: mar1, Direction: "in", Channel: "wechat",
		ContactID: NewID(mar1), DealID: NewID(mar1), CompanyID: NewID(mar1), Body: "late delivery",
		State: ComplaintResolved, ResolvedAt: mar5, Owner: "li", CreatedAt: mar1}
}

func TestActivityJSON(t *testing.T) {
	feedback := Activity{ID: NewID(mar1), Kind: KindFeedback, At: mar1, ContactID: NewID(mar1), Score: pointerTo(0), CreatedAt: mar1}
	for _, a := range []Activity{fullActivity(), feedback, {Kind: KindNote}} {
		got, keys := roundTripJSON(t, a)
		if !reflect.DeepEqual(got, a) {
			t.Errorf("round trip\ngot  %+v\nwant %+v", got, a)
		}
		if a.Score != nil && string(keys["score"]) != "0" {
			t.Errorf("a score of 0 was written as %s", keys["score"])
		}
	}
}
