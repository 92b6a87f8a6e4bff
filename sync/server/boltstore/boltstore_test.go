package boltstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/boltstore"
	"github.com/rolo-crm/rolo/sync/server/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, storagetest.Backend{
		Open: func(t *testing.T) server.Storage {
			s, err := boltstore.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	})
}

func TestSecondOpenFails(t *testing.T) {
	dir := t.TempDir()
	s, err := boltstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := boltstore.Open(dir); err == nil {
		t.Fatal("a second server opened the same data directory")
	}
}

// TestBackupRestore backs the store up while it is open, restores the
// copy into another directory, and checks the copy holds the data under a
// new epoch.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := boltstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	op := server.OpRecord{Replica: store.Replica{1}, HLC: 5, Entity: 1, Body: []byte(`{}`)}
	op.ID[0] = 1
	if _, err := s.Push(ctx, "acme", []server.OpRecord{op}, func([]server.StoredOp, map[server.RecordKey]*server.RecordRow) error { return nil }); err != nil {
		t.Fatal(err)
	}
	epoch, _ := s.Epoch(ctx)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if n, err := s.BackupTo(ctx, backup); err != nil || n == 0 {
		t.Fatalf("backup: %d bytes, %v", n, err)
	}
	other := t.TempDir()
	if err := boltstore.Restore(other, backup); err != nil {
		t.Fatal(err)
	}
	r, err := boltstore.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, _ := r.LastSeq(ctx, "acme"); n != 1 {
		t.Fatalf("the restored copy holds %d ops", n)
	}
	if e, _ := r.Epoch(ctx); e == epoch || e == "" {
		t.Fatalf("the restored copy kept the epoch %q", e)
	}
	if err := boltstore.Restore(dir, backup); err == nil {
		t.Fatal("restored over a data file in use")
	}
	if err := boltstore.Restore(other, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Fatal("restored from a missing file")
	}
}
