package pgstore_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"

	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/pgstore"
	"github.com/rolo-crm/rolo/sync/server/pgstore/pgtest"
	"github.com/rolo-crm/rolo/sync/server/storagetest"
)

func TestConformance(t *testing.T) {
	var last string
	open := func(t *testing.T, u string) server.Storage {
		s, err := pgstore.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	storagetest.Run(t, storagetest.Backend{
		Open: func(t *testing.T) server.Storage {
			last = pgtest.URL(t)
			return open(t, last)
		},
		Reopen: func(t *testing.T) server.Storage { return open(t, last) },
	})
}

// TestMigrationsRace opens one database from several processes' worth of
// handles at once: the schema is created exactly once.
func TestMigrationsRace(t *testing.T) {
	u := pgtest.URL(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := pgstore.Open(context.Background(), u)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s, err := pgstore.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e1, _ := s.Epoch(context.Background())
	s2, err := pgstore.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if e2, _ := s2.Epoch(context.Background()); e1 != e2 || e1 == "" {
		t.Fatalf("two handles see epochs %q and %q", e1, e2)
	}
}

// TestPushLoadsRows pushes ops on records that are neighbours and on
// records far apart, of one entity and of several: the merge sees the
// stored row of every record it touches, and only those.
func TestPushLoadsRows(t *testing.T) {
	s, err := pgstore.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key := func(e model.Entity, n int) server.RecordKey {
		var id model.ID
		id[0], id[15] = 1, byte(n)
		return server.RecordKey{Entity: e, ID: id}
	}
	var h store.HLC
	push := func(keys ...server.RecordKey) map[server.RecordKey]bool {
		t.Helper()
		var ops []server.OpRecord
		for _, k := range keys {
			h++
			ops = append(ops, server.OpRecord{Replica: store.Replica{1}, HLC: h, Entity: k.Entity, ID: k.ID, Body: []byte(`{}`)})
		}
		seen := map[server.RecordKey]bool{}
		_, err := s.Push(context.Background(), "acme", ops, func(ops []server.StoredOp, rows map[server.RecordKey]*server.RecordRow) error {
			for k, r := range rows {
				if string(r.State) != k.ID.String() {
					t.Errorf("row %v holds %q", k, r.State)
				}
				seen[k] = true
			}
			for _, o := range ops {
				k := server.RecordKey{Entity: o.Entity, ID: o.ID}
				rows[k] = &server.RecordRow{Key: k, Alive: true, Modified: time.Unix(1, 0), State: []byte(k.ID.String())}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return seen
	}
	var all []server.RecordKey
	for n := 1; n < 40; n += 2 {
		all = append(all, key(model.EntityContact, n), key(model.EntityDeal, n))
	}
	if seen := push(all...); len(seen) != 0 {
		t.Fatalf("the first push saw rows %v", seen)
	}
	c, d := model.EntityContact, model.EntityDeal
	tests := []struct {
		name string
		keys []server.RecordKey
		want []server.RecordKey
	}{
		{"neighbours", []server.RecordKey{key(c, 4), key(c, 5), key(c, 7)}, []server.RecordKey{key(c, 5), key(c, 7)}},
		{"far apart", []server.RecordKey{key(c, 1), key(c, 2), key(c, 39)}, []server.RecordKey{key(c, 1), key(c, 39)}},
		{"entities", []server.RecordKey{key(c, 9), key(d, 3), key(d, 37), key(model.EntityCompany, 3)}, []server.RecordKey{key(c, 9), key(d, 3), key(d, 37)}},
	}
	for _, tc := range tests {
		want := map[server.RecordKey]bool{}
		for _, k := range tc.want {
			want[k] = true
		}
		if got := push(tc.keys...); !maps.Equal(got, want) {
			t.Errorf("%s: the merge saw rows %v, want %v", tc.name, got, tc.want)
		}
	}
}
