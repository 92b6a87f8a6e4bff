package model

import (
	"fmt"
	"strings"
	"unicode"
)

// Stage is one step of the sales pipeline.
type Stage struct {
	Key         string `toml:"key" json:"key"`
	Label       string `toml:"label" json:"label"`
	Probability int    `toml:"probability" json:"probability"`
	Won         bool   `toml:"won" json:"won,omitempty"`
	Lost        bool   `toml:"lost" json:"lost,omitempty"`
}

// Closed reports whether a deal in this stage is finished.
func (s Stage) Closed() bool { return s.Won || s.Lost }

// Pipeline is the ordered list of stages deals move through.
type Pipeline struct {
	Stages []Stage
}

// DefaultPipeline is the pipeline used when config.toml names none.
func DefaultPipeline() Pipeline {
	return Pipeline{Stages: []Stage{
		{Key: "lead", Label: "Lead", Probability: 10},
		{Key: "qualified", Label: "Qualified", Probability: 25},
		{Key: "proposal", Label: "Proposal", Probability: 50},
		{Key: "negotiation", Label: "Negotiation", Probability: 75},
		{Key: "won", Label: "Won", Probability: 100, Won: true},
		{Key: "lost", Label: "Lost", Probability: 0, Lost: true},
	}}
}

// Validate checks that the pipeline is usable: unique keys, probabilities
// within 0-100, at least one open stage, one won and one lost stage.
func (p Pipeline) Validate() error {
	seen := map[string]bool{}
	var open, won, lost int
	for i, s := range p.Stages {
		field := fmt.Sprintf("stages[%d]", i)
		switch {
		case s.Key == "" || strings.ContainsFunc(s.Key, unicode.IsSpace):
			return invalid(field+".key", s.Key, "model.stage.word")
		case seen[strings.ToLower(s.Key)]: // Stage looks keys up ignoring case
			return invalid(field+".key", s.Key, "model.stage.twice")
		case s.Probability < 0 || s.Probability > 100:
			return invalid(field+".probability", fmt.Sprint(s.Probability), "model.percent")
		case s.Won && s.Lost:
			return invalid(field, s.Key, "model.stage.wonlost")
		}
		seen[strings.ToLower(s.Key)] = true
		switch {
		case s.Won:
			won++
		case s.Lost:
			lost++
		default:
			open++
		}
	}
	if open == 0 || won == 0 || lost == 0 {
		return invalid("stages", "", "model.stages.needed")
	}
	return nil
}

// Stage returns the stage with the given key (case-insensitive).
func (p Pipeline) Stage(key string) (Stage, bool) {
	for _, s := range p.Stages {
		if strings.EqualFold(s.Key, key) {
			return s, true
		}
	}
	return Stage{}, false
}

// Index returns the position of the stage with the given key
// (case-insensitive, like Stage), or -1.
func (p Pipeline) Index(key string) int {
	for i, s := range p.Stages {
		if strings.EqualFold(s.Key, key) {
			return i
		}
	}
	return -1
}

// First returns the first open stage, where new deals start, or the zero
// Stage when the pipeline has none (Validate refuses such a pipeline).
func (p Pipeline) First() Stage {
	for _, s := range p.Stages {
		if !s.Closed() {
			return s
		}
	}
	return Stage{}
}

// WonStage returns the first won stage.
func (p Pipeline) WonStage() Stage {
	for _, s := range p.Stages {
		if s.Won {
			return s
		}
	}
	return Stage{}
}

// LostStage returns the first lost stage.
func (p Pipeline) LostStage() Stage {
	for _, s := range p.Stages {
		if s.Lost {
			return s
		}
	}
	return Stage{}
}

// Keys lists the stage keys in order.
func (p Pipeline) Keys() []string {
	out := make([]string, len(p.Stages))
	for i, s := range p.Stages {
		out[i] = s.Key
	}
	return out
}

func (p Pipeline) unknown(key string) error {
	return invalid("stage", key, "model.stage.unknown", strings.Join(p.Keys(), ", "))
}
