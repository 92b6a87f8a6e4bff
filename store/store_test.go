package store

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// TestUpdateIsAtomic fails a transaction after it wrote to every part of
// the file and checks nothing of it is left.
func TestUpdateIsAtomic(t *testing.T) {
	s, clock := openTest(t)
	c := putContact(t, s, model.Contact{Name: "Kept", Emails: []model.Email{{Address: "kept@example.com"}}})
	var clockBefore HLC
	view(t, s, func(tx *Tx) error { clockBefore = tx.Clock(); return nil })
	seq := lastSeq(t, s)
	before := snapshot(t, s)

	clock.Advance(time.Hour)
	boom := errors.New("boom")
	var newID model.ID
	err := s.Update(func(tx *Tx) error {
		co := model.Company{Name: "Gone Inc"}
		if err := tx.PutCompany(&co); err != nil {
			return err
		}
		n := model.Contact{Name: "Gone", CompanyID: co.ID, Emails: []model.Email{{Address: "gone@example.com"}}, Tags: []string{"x"}}
		if err := tx.PutContact(&n); err != nil {
			return err
		}
		newID = n.ID
		k := model.Task{Title: "gone", ContactID: n.ID}
		if err := tx.PutTask(&k); err != nil {
			return err
		}
		if err := tx.AddActivity(&model.Activity{Kind: "note", ContactID: n.ID}); err != nil {
			return err
		}
		if _, err := tx.DeleteContact(c.ID); err != nil {
			return err
		}
		tx.Observe(MakeHLC(t0.Add(1000 * time.Hour)))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the fn's error", err)
	}
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Contact(newID); !errors.Is(err, ErrNotFound) {
			t.Errorf("the new contact survived: %v", err)
		}
		if _, err := tx.Contact(c.ID); err != nil {
			t.Errorf("the deleted contact is gone: %v", err)
		}
		if _, ok := tx.Tombstone(model.EntityContact, c.ID); ok {
			t.Error("a tombstone survived")
		}
		if got := tx.ContactsByEmail("gone@example.com"); len(got) != 0 {
			t.Error("an email index entry survived")
		}
		if tx.LastSeq() != seq {
			t.Errorf("change log sequence moved from %d to %d", seq, tx.LastSeq())
		}
		if tx.Clock() != clockBefore {
			t.Errorf("clock moved from %v to %v", clockBefore, tx.Clock())
		}
		return nil
	})
	if after := snapshot(t, s); after != before {
		t.Errorf("file contents changed:\nbefore %s\nafter  %s", before, after)
	}
	mustCheck(t, s)

	// A panic in fn is not swallowed and leaves nothing either.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		_ = s.Update(func(tx *Tx) error {
			_ = tx.PutContact(&model.Contact{Name: "panicky"})
			panic("oops")
		})
	}()
	if after := snapshot(t, s); after != before {
		t.Errorf("after a panic:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot describes every bucket's key count and every meta value.
func snapshot(t *testing.T, s *Store) string {
	var b strings.Builder
	view(t, s, func(tx *Tx) error {
		return tx.btx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			b.WriteString(string(name))
			b.WriteByte('=')
			n := 0
			err := bk.ForEach(func(k, v []byte) error {
				n++
				if string(name) == "meta" {
					b.WriteString(string(k) + ":" + string(v) + ";")
				}
				return nil
			})
			b.WriteString(" " + strconv.Itoa(n) + " seq " + strconv.Itoa(int(bk.Sequence())) + ", ")
			return err
		})
	})
	return b.String()
}

// openWithin runs Open in a goroutine and fails the test if it has not
// returned after a generous bound: the point is that it returns, not how
// fast.
func openWithin(t *testing.T, path string, opts Options) (*Store, error) {
	t.Helper()
	type result struct {
		s   *Store
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := Open(path, opts)
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-time.After(time.Minute):
		t.Fatal("Open did not return: it waits for the lock without bound")
		return nil, nil
	}
}

func TestLockBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	holder, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	for _, opts := range []Options{
		{LockTimeout: 200 * time.Millisecond},
		{LockTimeout: 200 * time.Millisecond, ReadOnly: true},
		{LockTimeout: 200 * time.Millisecond, Transient: true},
	} {
		s, err := openWithin(t, path, opts)
		if err == nil {
			s.Close()
			t.Errorf("Open(%+v) while another store holds the file: no error", opts)
			continue
		}
		var busy *BusyError
		if !errors.Is(err, ErrBusy) || !errors.As(err, &busy) || busy.Path != path {
			t.Errorf("Open(%+v): %v, want a BusyError", opts, err)
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("message %q does not name the file", err)
		}
	}
	// Once released, the file opens.
	holder.Close()
	s, err := openWithin(t, path, Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	s.Close()
}

// TestTransientLetsOthersWrite keeps a transient store (the TUI) open and
// idle while another store writes, and checks each sees the other's data.
func TestTransientLetsOthersWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	tui, err := Open(path, Options{Transient: true, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tui.Close()
	putContact(t, tui, model.Contact{Name: "from the TUI"})
	var seen uint64
	view(t, tui, func(tx *Tx) error { seen = tx.LastSeq(); return nil })

	script, err := openWithin(t, path, Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("a script cannot open the file while the TUI is idle: %v", err)
	}
	putContact(t, script, model.Contact{Name: "from a script"})
	if script.Replica() != tui.Replica() {
		t.Error("two stores of one file have different replica ids")
	}
	// While the script holds the file, the TUI's transactions are busy.
	if err := tui.View(func(*Tx) error { return nil }); !errors.Is(err, ErrBusy) {
		t.Errorf("TUI View while a script holds the file: %v, want ErrBusy", err)
	}
	script.Close()

	// The TUI notices the new data through the change log.
	view(t, tui, func(tx *Tx) error {
		chs, err := tx.Changes(seen, 0)
		if err != nil {
			return err
		}
		if len(chs) != 1 {
			t.Fatalf("the TUI sees %d new changes, want 1", len(chs))
		}
		c, err := tx.Contact(chs[0].ID)
		if err != nil || c.Name != "from a script" {
			t.Errorf("new change: %+v, %v", c, err)
		}
		return nil
	})
	putContact(t, tui, model.Contact{Name: "again from the TUI"})
	mustCheck(t, tui)
}

// TestTransientConcurrent runs transactions of two transient stores of one
// file from several goroutines at once.
func TestTransientConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	a, err := Open(path, Options{Transient: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path, Options{Transient: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 8 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for range 5 {
				errs <- s.Update(func(tx *Tx) error { return tx.PutContact(&model.Contact{Name: "c"}) })
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	view(t, a, func(tx *Tx) error {
		if n := tx.CountContacts(); n != 40 {
			t.Errorf("%d contacts, want 40", n)
		}
		return nil
	})
	mustCheck(t, b)
}

func TestReadOnlyStoresTogether(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putContact(t, w, model.Contact{Name: "A"})
	w.Close()

	for _, transient := range []bool{false, true} {
		opts := Options{ReadOnly: true, Transient: transient, LockTimeout: 200 * time.Millisecond}
		r1, err := openWithin(t, path, opts)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := openWithin(t, path, opts)
		if err != nil {
			t.Fatalf("second read-only store (transient %v): %v", transient, err)
		}
		// r1 reads while r2 reads: both hold the file at once.
		err = r1.View(func(*Tx) error {
			return r2.View(func(tx *Tx) error {
				if tx.Writable() || tx.CountContacts() != 1 {
					t.Errorf("read-only view: writable %v, %d contacts", tx.Writable(), tx.CountContacts())
				}
				return nil
			})
		})
		if err != nil {
			t.Errorf("two read-only views at once (transient %v): %v", transient, err)
		}
		if err := r1.Update(func(*Tx) error { return nil }); err == nil {
			t.Error("a read-only store accepts Update")
		}
		r1.Close()
		r2.Close()
	}
}

func TestClosedStore(t *testing.T) {
	s, _ := openTest(t)
	s.Close()
	if err := s.View(func(*Tx) error { return nil }); err == nil {
		t.Error("View on a closed store")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "rolo.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path || s.Replica() == (Replica{}) {
		t.Errorf("path %s, replica %v", s.Path(), s.Replica())
	}
	if s.Pipeline().First().Key != "lead" {
		t.Error("no default pipeline")
	}
}

// TestUpdateWithoutWritesCommitsNothing: a read-write transaction that
// changes nothing leaves the file as it was (it is rolled back rather
// than committed); one that changes something is committed.
func TestUpdateWithoutWritesCommitsNothing(t *testing.T) {
	st, _ := openTest(t)
	c := &model.Contact{Name: "Ada"}
	if err := st.Update(func(tx *Tx) error { return tx.PutContact(c) }); err != nil {
		t.Fatal(err)
	}
	txid := func() int {
		var id int
		db, err := st.acquire()
		if err != nil {
			t.Fatal(err)
		}
		defer st.release()
		if err := db.View(func(btx *bolt.Tx) error { id = btx.ID(); return nil }); err != nil {
			t.Fatal(err)
		}
		return id
	}
	before := txid()
	err := st.Update(func(tx *Tx) error {
		_, err := tx.Contact(c.ID)
		if err == nil {
			_, err = tx.SyncState()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := txid(); after != before {
		t.Errorf("a transaction that only read was committed: txid %d -> %d", before, after)
	}
	c.Title = "CTO"
	if err := st.Update(func(tx *Tx) error { return tx.PutContact(c) }); err != nil {
		t.Fatal(err)
	}
	if after := txid(); after != before+1 {
		t.Errorf("a write was not committed: txid %d -> %d", before, after)
	}
	var got model.Contact
	if err := st.View(func(tx *Tx) (err error) { got, err = tx.Contact(c.ID); return err }); err != nil || got.Title != "CTO" {
		t.Errorf("after the write: %+v, %v", got, err)
	}
}
