// Package demo fills a new database with a realistic, deterministic data
// set: contacts with mixed Chinese and English names, their companies,
// deals with two years of stage history, follow-up tasks and activities.
// It is what `rolo demo` opens, and at 100,000 contacts what the
// benchmarks measure.
//
// The same Seed and Now always give the same records, ids included. The
// records are written in transactions of a few thousand each; each one is
// atomic, so an interrupted run leaves a consistent database holding the
// batches written so far.
package demo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// DefaultContacts is the size of the demo when Options.Contacts is zero.
const DefaultContacts = 500

// batchSize is how many records one transaction writes.
const batchSize = 20000

// Options for Generate.
type Options struct {
	// Contacts is the number of contacts (DefaultContacts when zero);
	// companies, deals, tasks and activities follow in proportion.
	Contacts int
	// Seed picks the data set: the same Seed and Now give the same records.
	Seed int64
	// Now is the "today" the data is arranged around (the store's clock
	// when zero). Its location decides office hours and which day is today.
	Now time.Time
	// Progress, when set, is called after each transaction with the number
	// of records written so far and the number there will be.
	Progress func(done, total int)
}

// Stats counts what was written.
type Stats struct{ Companies, Contacts, Deals, Tasks, Activities int }

// Total is the number of records.
func (s Stats) Total() int { return s.Companies + s.Contacts + s.Deals + s.Tasks + s.Activities }

// String lists the non-zero counts: "500 contacts, 63 companies".
func (s Stats) String() string {
	var parts []string
	for _, c := range []struct {
		n            int
		one, several string
	}{
		{s.Contacts, "contact", "contacts"}, {s.Companies, "company", "companies"}, {s.Deals, "deal", "deals"},
		{s.Tasks, "task", "tasks"}, {s.Activities, "activity", "activities"},
	} {
		switch {
		case c.n == 1:
			parts = append(parts, "1 "+c.one)
		case c.n > 1:
			parts = append(parts, strconv.Itoa(c.n)+" "+c.several)
		}
	}
	if len(parts) == 0 {
		return "no records"
	}
	return strings.Join(parts, ", ")
}

func (s *Stats) add(e model.Entity, n int) {
	switch e {
	case model.EntityCompany:
		s.Companies += n
	case model.EntityContact:
		s.Contacts += n
	case model.EntityDeal:
		s.Deals += n
	case model.EntityTask:
		s.Tasks += n
	case model.EntityActivity:
		s.Activities += n
	}
}

// ErrNotEmpty is wrapped by the error Generate returns for a database that
// already holds records: demo data never mixes with real data.
var ErrNotEmpty = errors.New("demo data only goes into a new, empty database")

// Generate fills s, which must be empty, with a realistic data set of
// o.Contacts contacts and, in proportion, companies (one per eight
// contacts), deals (one per five), tasks (one per two) and activities (two
// per contact). On error the batches already committed stay in s; Stats
// counts them.
func Generate(s *store.Store, o Options) (Stats, error) {
	switch {
	case o.Contacts == 0:
		o.Contacts = DefaultContacts
	case o.Contacts < 0:
		return Stats{}, &model.FieldError{Field: "contacts", Value: strconv.Itoa(o.Contacts), Reason: "must be at least 1"}
	}
	if o.Now.IsZero() {
		o.Now = s.Now()
	}
	if err := s.Pipeline().Validate(); err != nil {
		return Stats{}, err
	}
	if err := ensureEmpty(s); err != nil {
		return Stats{}, err
	}
	g := newGenerator(s.Pipeline(), o)
	g.rules = s.Rules()
	w := writer{ld: s.Loader(0), total: g.sizes.Total(), progress: o.Progress}
	err := produce(g.run, w.write)
	if cerr := w.ld.Close(); err == nil {
		err = cerr
	}
	return w.stats, err
}

func ensureEmpty(s *store.Store) error {
	var held Stats
	err := s.View(func(tx *store.Tx) error {
		held = Stats{tx.CountCompanies(), tx.CountContacts(), tx.CountDeals(), tx.CountTasks(), tx.CountActivities()}
		return nil
	})
	if err != nil {
		return err
	}
	if held.Total() > 0 {
		return fmt.Errorf("%s already holds %s: %w", s.Path(), held, ErrNotEmpty)
	}
	return nil
}

// batch is one transaction's worth of records of one entity.
type batch struct {
	entity model.Entity
	n      int
	put    func(*store.Tx) error
}

// writer commits batches and reports progress. Index entries are
// written after the last batch, in key order (store.Loader).
type writer struct {
	ld       *store.Loader
	stats    Stats
	total    int
	progress func(done, total int)
}

func (w *writer) write(b batch) error {
	if err := w.ld.Update(b.put); err != nil {
		return err
	}
	w.stats.add(b.entity, b.n)
	if w.progress != nil {
		w.progress(w.stats.Total(), w.total)
	}
	return nil
}

// errStopped tells the generator that the writer gave up.
var errStopped = errors.New("demo: writing stopped")

// produce runs mk in a goroutine of its own and writes the batches it
// emits as they come, so that the next batch is made while one is
// written. It returns the first error of either.
func produce(mk func(emit func(batch) error) error, write func(batch) error) error {
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	made := make(chan error, 1)
	go func() {
		defer close(batches)
		made <- mk(func(b batch) error {
			select {
			case batches <- b:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	var err error
	for b := range batches {
		if err == nil {
			if err = write(b); err != nil {
				close(stop)
			}
		}
	}
	if merr := <-made; err == nil {
		err = merr
	}
	return err
}

// emitRecords makes n records with mk, in order, and cuts them into
// batches that save each with put.
func emitRecords[T any](emit func(batch) error, e model.Entity, n int, mk func(i int) T, put func(*store.Tx, *T) error) error {
	for start := 0; start < n; start += batchSize {
		recs := make([]T, min(batchSize, n-start))
		for i := range recs {
			recs[i] = mk(start + i)
		}
		err := emit(batch{entity: e, n: len(recs), put: func(tx *store.Tx) error {
			for i := range recs {
				if err := put(tx, &recs[i]); err != nil {
					return fmt.Errorf("demo %s %d: %w", e, start+i, err)
				}
			}
			return nil
		}})
		if err != nil {
			return err
		}
	}
	return nil
}
