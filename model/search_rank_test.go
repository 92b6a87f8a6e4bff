package model

import (
	"slices"
	"testing"
)

func TestSplitNameTerms(t *testing.T) {
	p, alt := SplitNameTerms("丁伟")
	if !slices.Contains(p, "dw") || !slices.Contains(p, "dingwei") || slices.Contains(p, "zw") {
		t.Errorf("primary %q: the likeliest reading only", p)
	}
	if !slices.Contains(alt, "zw") || !slices.Contains(alt, "zheng") {
		t.Errorf("alternative %q: the other readings", alt)
	}
	if p, alt := SplitNameTerms("Maria Garcia"); len(alt) != 0 || !slices.Contains(p, "mariagarcia") {
		t.Errorf("a Latin name has no alternatives: %q %q", p, alt)
	}
	p, alt = SplitNameTerms("曾小明")
	if got := NameTerms("曾小明"); !slices.Equal(got, append(p, alt...)) {
		t.Errorf("NameTerms %q is the primary then the alternative terms", got)
	}
}

func TestMatchTermsAlternatives(t *testing.T) {
	p, alt := SplitNameTerms("丁伟")
	h := JoinHaystacks(Haystack(p...), AltMarker, Haystack(alt...))
	tests := []struct {
		q             string
		match, prefix bool
	}{
		{"dw", true, true},
		{"ding", true, true},
		{"丁", true, true},
		{"zw", true, false}, // only through 丁's rarer reading zheng
		{"zheng", true, false},
		{"xyz", false, false},
	}
	for _, tt := range tests {
		if m, pre := MatchTerms(h, QueryTerms(tt.q)); m != tt.match || pre != tt.prefix {
			t.Errorf("%q in %q: match %v prefix %v, want %v %v", tt.q, h, m, pre, tt.match, tt.prefix)
		}
	}
}
