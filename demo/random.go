package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// randReader is an io.Reader of pseudo-random bytes, the entropy the
// demo's ids are made from so that they repeat with the seed.
type randReader struct{ r *rand.Rand }

func (rr randReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := rr.r.Uint64()
		for j := i; j < len(p) && j < i+8; j++ {
			p[j] = byte(v)
			v >>= 8
		}
	}
	return len(p), nil
}

// oneOf returns a uniformly chosen element of items.
func oneOf[T any](r *rand.Rand, items []T) T { return items[r.IntN(len(items))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// weighted is a list of items drawn with integer weights.
type weighted[T any] struct {
	items []T
	cum   []int
}

// w pairs an item with its weight, for building a weighted list.
type w[T any] struct {
	item   T
	weight int
}

func newWeighted[T any](entries ...w[T]) weighted[T] {
	t := weighted[T]{items: make([]T, len(entries)), cum: make([]int, len(entries))}
	sum := 0
	for i, e := range entries {
		sum += e.weight
		t.items[i], t.cum[i] = e.item, sum
	}
	return t
}

func (t weighted[T]) draw(r *rand.Rand) T {
	x := r.IntN(t.cum[len(t.cum)-1])
	return t.items[sort.SearchInts(t.cum, x+1)]
}

// picker draws indexes 0..n-1 with float weights, in O(log n).
type picker struct{ cum []float64 }

func newPicker(n int, weight func(i int) float64) picker {
	p := picker{cum: make([]float64, n)}
	sum := 0.0
	for i := range n {
		sum += weight(i)
		p.cum[i] = sum
	}
	return p
}

func (p picker) pick(r *rand.Rand) int {
	x := r.Float64() * p.cum[len(p.cum)-1]
	return min(sort.SearchFloat64s(p.cum, x), len(p.cum)-1)
}

// pareto draws from a Pareto distribution with minimum 1: most draws are
// near 1, a few are very large. Customer value in a sales book is
// distributed like this (alpha near 1.16 gives the 80/20 rule).
func pareto(r *rand.Rand, alpha, ceiling float64) float64 {
	return min(math.Pow(1-r.Float64(), -1/alpha), ceiling)
}

// lognormal draws around median with spread sigma (in log space).
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(r.NormFloat64()*sigma)
}

// between returns a uniformly chosen instant in [a, b].
func between(r *rand.Rand, a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	return a.Add(time.Duration(r.Int64N(int64(b.Sub(a)) + 1)))
}

// recent returns an instant in [a, b] that falls more often near b: skew 1
// is uniform, larger values crowd the draws towards b.
func recent(r *rand.Rand, a, b time.Time, skew float64) time.Time {
	if !b.After(a) {
		return a
	}
	back := math.Pow(r.Float64(), skew) * float64(b.Sub(a))
	return b.Add(-time.Duration(back))
}

const day = 24 * time.Hour

func days(n int) time.Duration { return time.Duration(n) * day }
