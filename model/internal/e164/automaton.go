package e164

import (
	"encoding/binary"
	"regexp/syntax"
	"slices"
)

// automaton is a deterministic automaton over the ASCII digits, compiled
// from one regular expression of the phone metadata. It says whether the
// pattern matches a digit string entirely, or matches a prefix of it, in
// one table step per digit: regexp's backtracker takes about a
// microsecond per pattern, and validating a number tries a dozen.
type automaton struct {
	next []int32 // state*10 + digit: the next state, or dead
	// accept: the pattern matches the digits read so far; atEnd: it
	// matches them when they are the whole input (the pattern's $).
	accept, atEnd []bool
}

const (
	dead      = -1
	maxStates = 1 << 13 // beyond this a pattern is left to regexp
)

// compile builds the automaton of pattern (Perl syntax, as regexp
// reads it). It returns nil for a pattern it cannot represent: one with
// an anchor other than $, or one with too many states.
func compile(pattern string) *automaton {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	b := builder{prog: prog, ids: map[string]int32{}}
	start, ok := b.closure([]uint32{uint32(prog.Start)})
	if !ok {
		return nil
	}
	b.state(start)
	for s := 0; s < len(b.sets); s++ {
		for d := range 10 {
			var outs []uint32
			for _, pc := range b.sets[s] {
				in := &prog.Inst[pc]
				if in.Op != syntax.InstMatch && in.Op != syntax.InstEmptyWidth && in.MatchRune(rune('0'+d)) {
					outs = append(outs, in.Out)
				}
			}
			if len(outs) == 0 {
				b.a.next[s*10+d] = dead
				continue
			}
			set, ok := b.closure(outs)
			if !ok {
				return nil
			}
			b.a.next[s*10+d] = b.state(set)
			if len(b.sets) > maxStates {
				return nil
			}
		}
	}
	return &b.a
}

type builder struct {
	prog *syntax.Prog
	ids  map[string]int32
	sets [][]uint32
	a    automaton
}

// state returns the number of the state holding set, adding it if new.
func (b *builder) state(set []uint32) int32 {
	key := make([]byte, 0, 4*len(set))
	for _, pc := range set {
		key = binary.LittleEndian.AppendUint32(key, pc)
	}
	if id, ok := b.ids[string(key)]; ok {
		return id
	}
	id := int32(len(b.sets))
	b.ids[string(key)] = id
	b.sets = append(b.sets, set)
	accept, atEnd := false, false
	for _, pc := range set {
		switch in := &b.prog.Inst[pc]; in.Op {
		case syntax.InstMatch:
			accept = true
		case syntax.InstEmptyWidth:
			atEnd = atEnd || b.matchesAtEnd(in.Out)
		}
	}
	b.a.accept = append(b.a.accept, accept)
	b.a.atEnd = append(b.a.atEnd, accept || atEnd)
	b.a.next = append(b.a.next, make([]int32, 10)...)
	return id
}

// closure returns the instructions reachable from pcs without reading a
// digit: those that read one, Match, and $ (resolved only at the end).
// ok is false for an anchor other than $.
func (b *builder) closure(pcs []uint32) ([]uint32, bool) {
	var out []uint32
	seen := map[uint32]bool{}
	stack := slices.Clone(pcs)
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		switch in := &b.prog.Inst[pc]; in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Arg, in.Out)
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, in.Out)
		case syntax.InstFail:
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg) != syntax.EmptyEndText {
				return nil, false
			}
			out = append(out, pc)
		default:
			out = append(out, pc)
		}
	}
	slices.Sort(out)
	return out, true
}

// matchesAtEnd reports whether Match is reachable from pc at the end of
// the input, where $ holds.
func (b *builder) matchesAtEnd(pc uint32) bool {
	seen := map[uint32]bool{}
	stack := []uint32{pc}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		switch in := &b.prog.Inst[pc]; in.Op {
		case syntax.InstMatch:
			return true
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Arg, in.Out)
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg) == syntax.EmptyEndText {
				stack = append(stack, in.Out)
			}
		}
	}
	return false
}

// full reports whether the pattern matches all of digits (ASCII digits
// only), as regexp's MatchString of "^(?:pattern)$" does.
func (a *automaton) full(digits string) bool {
	s := int32(0)
	for i := 0; i < len(digits); i++ {
		d := digits[i] - '0'
		if d > 9 {
			return false
		}
		if s = a.next[int(s)*10+int(d)]; s == dead {
			return false
		}
	}
	return a.atEnd[s]
}

// prefix reports whether the pattern matches a prefix of digits, as
// regexp's MatchString of "^(?:pattern)" does.
func (a *automaton) prefix(digits string) bool {
	s := int32(0)
	for i := 0; i < len(digits); i++ {
		if a.accept[s] {
			return true
		}
		d := digits[i] - '0'
		if d > 9 {
			return false
		}
		if s = a.next[int(s)*10+int(d)]; s == dead {
			return false
		}
	}
	return a.atEnd[s]
}
