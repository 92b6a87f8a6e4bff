package insight

import (
	"math"
	"slices"
)

// percentile returns the p-th quantile (0 <= p <= 1) of xs by linear
// interpolation between the closest ranks (numpy's default, Excel's
// PERCENTILE.INC): at rank h = (n-1)p it is x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]).
// xs is sorted in place. It is nil for no values.
func percentile(xs []float64, p float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	v := quantile(xs, p)
	return &v
}

// quantile is percentile for at least one value.
func quantile(xs []float64, p float64) float64 {
	slices.Sort(xs)
	h := float64(len(xs)-1) * p
	lo := int(math.Floor(h))
	v := xs[lo]
	if lo+1 < len(xs) {
		v += (h - float64(lo)) * (xs[lo+1] - xs[lo])
	}
	return v
}

func median(xs []float64) *float64 { return percentile(xs, 0.5) }

// round rounds v to the given number of decimals, halves away from zero.
func round(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}

// roundPtr rounds *v, keeping nil.
func roundPtr(v *float64, decimals int) *float64 {
	if v == nil {
		return nil
	}
	r := round(*v, decimals)
	return &r
}

// ratio returns a/b rounded to four decimals, or nil when b is zero.
func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := round(float64(a)/float64(b), 4)
	return &r
}

// quintile scores a value 1 to 5 by its percentile rank among n values:
// below values rank under it and equal ones (itself included) tie with
// it. The rank (below + equal/2) / n puts ties in the middle of their
// run, so equal values always score the same: score = 1 + ⌊5 × rank⌋.
func quintile(below, equal, n int) int {
	return 1 + 5*(2*below+equal)/(2*n)
}
