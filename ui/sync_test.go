package ui

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/boltstore"
)

// teamServer starts a team server on loopback and returns its URL and an
// admin token.
func teamServer(t *testing.T) (url, token string) {
	t.Helper()
	storage, err := boltstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	token, _, err = server.IssueToken(context.Background(), storage, "acme", "tester", true, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Options{Storage: storage, Rate: -1}).Handler())
	t.Cleanup(func() {
		srv.Close()
		storage.Close()
	})
	return srv.URL, token
}

// syncWith is the program's sync with the server at url, as rolo's
// command line builds it.
func syncWith(t *testing.T, st *store.Store, url, token string) SyncFunc {
	t.Helper()
	c, err := rsync.NewClient(url, token, rsync.ClientOptions{Attempts: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context) SyncReport {
		res, err := rsync.Run(ctx, st, rsync.Options{Client: c})
		r := SyncReport{Pushed: res.Pushed, Pulled: res.Pulled, Conflicts: res.Conflicts}
		var off *rsync.OfflineError
		switch {
		case errors.As(err, &off):
			r.Offline = true
		case err != nil:
			r.Err = err.Error()
		}
		return r
	}
}

func TestBackgroundSyncRuns(t *testing.T) {
	url, token := teamServer(t)
	st := demoStore(t, 50)
	d := drive(t, driveOptions{store: st, sync: syncWith(t, st, url, token), every: 200 * time.Millisecond})
	d.waitText("synced " + testNow.Format("15:04"))
	// Everything went to the server: a new replica pulls it all.
	other := newStore(t, "other.db")
	if _, err := rsync.Run(context.Background(), other, rsync.Options{Client: mustClient(t, url, token)}); err != nil {
		t.Fatal(err)
	}
	var n int
	other.View(func(tx *store.Tx) error { n = tx.CountContacts(); return nil })
	if n != 50 {
		t.Errorf("the server has %d contacts; want the 50 the program pushed", n)
	}
}

func TestSyncKeyPullsAndShowsConflicts(t *testing.T) {
	url, token := teamServer(t)
	st := demoStore(t, 50)
	d := drive(t, driveOptions{store: st, sync: syncWith(t, st, url, token), every: -1})
	d.waitText("sync soon")
	d.press("S")
	d.waitText("synced")

	// A teammate pulls everything, edits a contact's title and adds one.
	mate := newStore(t, "mate.db")
	client := mustClient(t, url, token)
	if _, err := rsync.Run(context.Background(), mate, rsync.Options{Client: client}); err != nil {
		t.Fatal(err)
	}
	var target model.ID
	st.View(func(tx *store.Tx) error {
		page, err := tx.ContactsBrief()
		if err == nil && len(page) > 0 {
			target = page[0].ID
		}
		return err
	})
	retitle := func(s *store.Store, title string) {
		t.Helper()
		if err := s.Update(func(tx *store.Tx) error {
			c, err := tx.Contact(target)
			if err != nil {
				return err
			}
			c.Title = title
			return tx.PutContact(&c)
		}); err != nil {
			t.Fatal(err)
		}
	}
	retitle(mate, "Title from the teammate")
	if err := mate.Update(func(tx *store.Tx) error {
		return tx.PutContact(&model.Contact{Name: "Rita Remote"})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := rsync.Run(context.Background(), mate, rsync.Options{Client: client}); err != nil {
		t.Fatal(err)
	}
	// Meanwhile the same title is changed here, by another process.
	local, err := store.Open(st.Path(), testStoreOptions(testConfig()))
	if err != nil {
		t.Fatal(err)
	}
	retitle(local, "Title from here")
	local.Close()

	d.press("S")
	d.waitText("conflicts: 1 (C)")
	d.press("2")
	d.press("/")
	d.typeText("rita")
	d.waitText("Rita Remote")
	d.press("esc")
	d.press("C")
	d.waitText("Sync conflicts", "Title from the teammate", "Title from here")
}

func newStore(t *testing.T, name string) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), name), testStoreOptions(testConfig()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustClient(t *testing.T, url, token string) *rsync.Client {
	t.Helper()
	c, err := rsync.NewClient(url, token, rsync.ClientOptions{Attempts: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
