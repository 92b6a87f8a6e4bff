package insight

import (
	"cmp"
	"slices"
	"strings"

	"github.com/rolo-crm/rolo/model"
)

// Amount is money in a report; JSON writes it as a decimal string with
// the currency's digits ("1200.50"), beside a "currency" key.
type Amount struct{ model.Money }

// MarshalText writes the decimal string, which JSON quotes.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.Decimal()), nil }

func amount(minor int64, currency string) Amount {
	return Amount{model.Money{Minor: minor, Currency: currency}}
}

// byCurrency keeps one T per currency, in a stable order.
type byCurrency[T any] struct {
	m     map[string]*T
	count map[string]int
	fresh func(currency string) T
}

func newByCurrency[T any](mk func(currency string) T) *byCurrency[T] {
	return &byCurrency[T]{m: map[string]*T{}, count: map[string]int{}, fresh: mk}
}

// at returns the currency's T, counting one more record in it.
func (b *byCurrency[T]) at(currency string) *T {
	t, ok := b.m[currency]
	if !ok {
		v := b.fresh(currency)
		t = &v
		b.m[currency] = t
	}
	b.count[currency]++
	return t
}

// list returns the Ts, the currency with the most records first (then by
// code), so the main currency of the book leads.
func (b *byCurrency[T]) list() []T {
	keys := make([]string, 0, len(b.m))
	for k := range b.m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y string) int {
		return cmp.Or(cmp.Compare(b.count[y], b.count[x]), strings.Compare(x, y))
	})
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, *b.m[k])
	}
	return out
}
