package pgstore_test

import (
	"context"
	"testing"

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
