package store

import (
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// fakeClock is a settable Options.Now, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// t0 is the fixed "now" of most tests: a Tuesday morning.
var t0 = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// openTest opens a fresh store in a temporary directory with region CN,
// currency CNY and a fake clock starting at t0.
func openTest(t testing.TB, mod ...func(*Options)) (*Store, *fakeClock) {
	t.Helper()
	clock := newClock(t0)
	opts := Options{Rules: model.Rules{Region: "CN", Currency: "CNY"}, Now: clock.Now}
	for _, m := range mod {
		m(&opts)
	}
	path := filepath.Join(t.TempDir(), "rolo.db")
	s, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

func update(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t testing.TB, s *Store, fn func(*Tx) error) {
	t.Helper()
	if err := s.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// mustCheck fails the test when Check finds any problem.
func mustCheck(t testing.TB, s *Store) {
	t.Helper()
	view(t, s, func(tx *Tx) error {
		if r := tx.Check(); !r.OK() {
			t.Fatalf("Check found problems:\n%v", r.Problems)
		}
		return nil
	})
}

func putContact(t testing.TB, s *Store, c model.Contact) model.Contact {
	t.Helper()
	update(t, s, func(tx *Tx) error { return tx.PutContact(&c) })
	return c
}

func putCompany(t testing.TB, s *Store, c model.Company) model.Company {
	t.Helper()
	update(t, s, func(tx *Tx) error { return tx.PutCompany(&c) })
	return c
}

func putDeal(t testing.TB, s *Store, d model.Deal) model.Deal {
	t.Helper()
	update(t, s, func(tx *Tx) error { return tx.PutDeal(&d) })
	return d
}

func putTask(t testing.TB, s *Store, k model.Task) model.Task {
	t.Helper()
	update(t, s, func(tx *Tx) error { return tx.PutTask(&k) })
	return k
}

func addActivity(t testing.TB, s *Store, a model.Activity) model.Activity {
	t.Helper()
	update(t, s, func(tx *Tx) error { return tx.AddActivity(&a) })
	return a
}

// changesAfter returns the change-log entries after seq.
func changesAfter(t testing.TB, s *Store, seq uint64) []Change {
	t.Helper()
	var out []Change
	view(t, s, func(tx *Tx) error {
		var err error
		out, err = tx.Changes(seq, 0)
		return err
	})
	return out
}

func lastSeq(t testing.TB, s *Store) uint64 {
	t.Helper()
	var seq uint64
	view(t, s, func(tx *Tx) error { seq = tx.LastSeq(); return nil })
	return seq
}

func ptr[T any](v T) *T { return &v }

func groupMask(e model.Entity, names ...string) model.GroupMask {
	var m model.GroupMask
	for _, n := range names {
		i := model.GroupIndex(e, n)
		if i < 0 {
			panic("no group " + n)
		}
		m |= 1 << i
	}
	return m
}

func ids[T any](recs []T, idOf func(T) model.ID) []model.ID {
	out := make([]model.ID, len(recs))
	for i, r := range recs {
		out[i] = idOf(r)
	}
	return out
}

// sameIDs compares id lists, nil and empty alike.
func sameIDs(a, b []model.ID) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}
