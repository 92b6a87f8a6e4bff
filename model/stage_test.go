package model

import (
	"reflect"
	"testing"
)

func TestDefaultPipeline(t *testing.T) {
	p := DefaultPipeline()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := p.Keys(); !reflect.DeepEqual(got, []string{"lead", "qualified", "proposal", "negotiation", "won", "lost"}) {
		t.Errorf("Keys() = %q", got)
	}
	for key, prob := range map[string]int{"lead": 10, "qualified": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0} {
		if s, ok := p.Stage(key); !ok || s.Probability != prob {
			t.Errorf("Stage(%q) = %+v, %v; want probability %d", key, s, ok, prob)
		}
	}
	if p.First().Key != "lead" || p.WonStage().Key != "won" || p.LostStage().Key != "lost" {
		t.Errorf("First, WonStage, LostStage = %q, %q, %q", p.First().Key, p.WonStage().Key, p.LostStage().Key)
	}
}

func TestPipelineValidate(t *testing.T) {
	open, won, lost := Stage{Key: "open"}, Stage{Key: "won", Won: true, Probability: 100}, Stage{Key: "lost", Lost: true}
	tests := []struct {
		name   string
		stages []Stage
		field  string
	}{
		{"empty key", []Stage{{Key: ""}, won, lost}, "stages[0].key"},
		{"key with a space", []Stage{open, {Key: "in talks"}, won, lost}, "stages[1].key"},
		{"key with a newline", []Stage{open, {Key: "in\ntalks"}, won, lost}, "stages[1].key"},
		{"duplicate key", []Stage{open, won, lost, {Key: "open"}}, "stages[3].key"},
		{"duplicate key in another case", []Stage{open, won, lost, {Key: "Open"}}, "stages[3].key"},
		{"probability above 100", []Stage{{Key: "a", Probability: 101}, won, lost}, "stages[0].probability"},
		{"probability below 0", []Stage{{Key: "a", Probability: -5}, won, lost}, "stages[0].probability"},
		{"won and lost", []Stage{open, {Key: "x", Won: true, Lost: true}, won, lost}, "stages[1]"},
		{"no open stage", []Stage{won, lost}, "stages"},
		{"no won stage", []Stage{open, lost}, "stages"},
		{"no lost stage", []Stage{open, won}, "stages"},
		{"no stages", nil, "stages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectInvalid(t, Pipeline{Stages: tt.stages}.Validate(), tt.field)
		})
	}
}

func TestPipelineLookup(t *testing.T) {
	p := Pipeline{Stages: []Stage{
		{Key: "won", Won: true}, {Key: "Intro"}, {Key: "demo"}, {Key: "lost", Lost: true},
	}}
	if s, ok := p.Stage("intro"); !ok || s.Key != "Intro" {
		t.Errorf("Stage(intro) = %+v, %v", s, ok)
	}
	if _, ok := p.Stage("nope"); ok {
		t.Error("Stage(nope) found a stage")
	}
	for key, want := range map[string]int{"won": 0, "intro": 1, "INTRO": 1, "demo": 2, "lost": 3, "nope": -1, "": -1} {
		if got := p.Index(key); got != want {
			t.Errorf("Index(%q) = %d, want %d", key, got, want)
		}
	}
	if got := p.First(); got.Key != "Intro" {
		t.Errorf("First() = %+v, want the first open stage", got)
	}
	if got := (Pipeline{}).First(); got != (Stage{}) {
		t.Errorf("First() of an empty pipeline = %+v", got)
	}
	if got := (Pipeline{Stages: []Stage{{Key: "w", Won: true}}}).First(); got != (Stage{}) {
		t.Errorf("First() with no open stage = %+v", got)
	}
	if (Pipeline{}).WonStage() != (Stage{}) || (Pipeline{}).LostStage() != (Stage{}) {
		t.Error("WonStage or LostStage of an empty pipeline is not the zero Stage")
	}
	if !(Stage{Won: true}).Closed() || !(Stage{Lost: true}).Closed() || (Stage{}).Closed() {
		t.Error("Closed is wrong")
	}
}
