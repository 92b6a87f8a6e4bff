package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// fill writes a few records of every kind.
func fill(t *testing.T, s *Store, n int) {
	t.Helper()
	update(t, s, func(tx *Tx) error {
		co := model.Company{Name: "Acme"}
		if err := tx.PutCompany(&co); err != nil {
			return err
		}
		for i := range n {
			c := model.Contact{Name: "张伟", CompanyID: co.ID, Tags: []string{"t"},
				Emails: []model.Email{{Address: "c" + string(rune('a'+i%26)) + "@example.com"}}}
			if err := tx.PutContact(&c); err != nil {
				return err
			}
			d := model.Deal{Title: "deal", ContactID: c.ID}
			if err := tx.PutDeal(&d); err != nil {
				return err
			}
			if err := tx.PutTask(&model.Task{Title: "t", ContactID: c.ID, DealID: d.ID}); err != nil {
				return err
			}
			if err := tx.AddActivity(&model.Activity{Kind: "call", ContactID: c.ID}); err != nil {
				return err
			}
		}
		return nil
	})
}

func count(t *testing.T, s *Store) int {
	var n int
	view(t, s, func(tx *Tx) error { n = tx.CountContacts(); return nil })
	return n
}

// TestBackupWhileWriting backs up a store that other goroutines keep
// writing to, and a transient store that another transient store writes
// to; every copy must verify.
func TestBackupWhileWriting(t *testing.T) {
	for _, transient := range []bool{false, true} {
		name := map[bool]string{false: "same store", true: "transient stores"}[transient]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rolo.db")
			writer, err := Open(path, Options{Transient: transient})
			if err != nil {
				t.Fatal(err)
			}
			defer writer.Close()
			fill(t, writer, 5)
			backer := writer
			if transient {
				if backer, err = Open(path, Options{Transient: true}); err != nil {
					t.Fatal(err)
				}
				defer backer.Close()
			}
			var wg sync.WaitGroup
			stop := make(chan struct{})
			defer func() { close(stop); wg.Wait() }()
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := writer.Update(func(tx *Tx) error { return tx.PutContact(&model.Contact{Name: "w"}) }); err != nil {
						t.Error(err)
						return
					}
					if transient {
						// A transient store that writes back to back starves
						// others: bbolt retries a lock every 50 ms, with no
						// queue. A person at the TUI leaves gaps.
						time.Sleep(5 * time.Millisecond)
					}
				}
			})
			for i := range 3 {
				out := filepath.Join(dir, "backup", "copy"+string(rune('0'+i))+".db")
				if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := backer.Backup(out); err != nil {
					t.Fatalf("Backup: %v", err)
				}
				r, err := Verify(out, Options{})
				if err != nil || !r.OK() {
					t.Fatalf("Verify of the copy: %+v, %v", r, err)
				}
				if r.Records["contact"] < 5 || r.Schema != SchemaVersion || r.Replica != writer.Replica().String() {
					t.Errorf("report: %+v", r)
				}
			}
			if tmps, _ := filepath.Glob(filepath.Join(dir, "backup", "*.tmp")); len(tmps) != 0 {
				t.Errorf("temporary files left: %v", tmps)
			}
		})
	}
}

func TestBackupRefusesItself(t *testing.T) {
	s, _ := openTest(t)
	if err := s.Backup(s.Path()); err == nil {
		t.Error("Backup over the database itself")
	}
	rel, _ := filepath.Rel(mustGetwd(t), s.Path())
	if err := s.Backup(rel); err == nil {
		t.Error("Backup over the database itself, by a relative path")
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// TestVerifyDefaults verifies with zero Options, as `rolo restore` might:
// the default pipeline and clock apply.
func TestVerifyDefaults(t *testing.T) {
	s, _ := openTest(t)
	fill(t, s, 2)
	update(t, s, func(tx *Tx) error {
		d := model.Deal{Title: "won one", Stage: "won"}
		return tx.PutDeal(&d)
	})
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(out); err != nil {
		t.Fatal(err)
	}
	r, err := Verify(out, Options{})
	if err != nil || !r.OK() {
		t.Fatalf("Verify: %+v, %v", r, err)
	}
	if r.Records["deal"] != 3 || r.Records["contact"] != 2 || r.Changes == 0 {
		t.Errorf("report: %+v", r)
	}
	if _, err := Verify(filepath.Join(t.TempDir(), "missing.db"), Options{}); err == nil {
		t.Error("Verify of a missing file")
	}
}

func TestRestore(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "rolo.db")
	s, err := Open(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 3)
	backup := filepath.Join(dir, "monday.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	fill(t, s, 4) // 7 contacts now; the backup has 3
	s.Close()

	kept, err := Restore(target, backup, Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if kept != target+".before-restore" {
		t.Errorf("kept %q", kept)
	}
	for path, want := range map[string]int{target: 3, kept: 7} {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, s); n != want {
			t.Errorf("%s has %d contacts, want %d", filepath.Base(path), n, want)
		}
		mustCheck(t, s)
		s.Close()
	}

	// Restoring into a place with no database yet keeps nothing aside.
	fresh := filepath.Join(dir, "new", "rolo.db")
	kept, err = Restore(fresh, backup, Options{})
	if err != nil || kept != "" {
		t.Errorf("Restore to a new path: %q, %v", kept, err)
	}
}

// TestRestoreWhileOpen refuses to restore over a database another
// store holds.
func TestRestoreWhileOpen(t *testing.T) {
	s, _ := openTest(t)
	fill(t, s, 1)
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	if _, err := Restore(s.Path(), backup, Options{LockTimeout: 200 * time.Millisecond}); !errors.Is(err, ErrBusy) {
		t.Errorf("Restore over an open database: %v, want ErrBusy", err)
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Error("the open database was modified")
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "rolo.db")
	s, err := Open(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 2)
	good := filepath.Join(dir, "good.db")
	if err := s.Backup(good); err != nil {
		t.Fatal(err)
	}
	s.Close()

	bad := map[string]string{"missing": filepath.Join(dir, "missing.db")}
	for name, path := range notRolo(t) {
		bad[name] = path
	}
	// A bbolt file whose records are damaged.
	bad["damaged record"] = rawEdit(t, good, filepath.Join(dir, "damaged.db"), func(btx *bolt.Tx) error {
		k, _ := btx.Bucket(bContacts).Cursor().First()
		return btx.Bucket(bContacts).Put(k, []byte{1, 1, 0xff})
	})
	// A file from a newer rolo.
	bad["newer schema"] = rawEdit(t, good, filepath.Join(dir, "newer.db"), func(btx *bolt.Tx) error {
		return btx.Bucket(bMeta).Put(mSchema, encodeVersion(SchemaVersion+1))
	})
	// A foreign bbolt file.
	bad["foreign bbolt"] = rawEdit(t, good, filepath.Join(dir, "foreign.db"), func(btx *bolt.Tx) error {
		return btx.DeleteBucket(bMeta)
	})

	before, _ := os.ReadFile(target)
	for name, src := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := Restore(target, src, Options{}); err == nil {
				t.Fatal("restored")
			}
			after, _ := os.ReadFile(target)
			if !bytes.Equal(before, after) {
				t.Fatal("the target was modified")
			}
			if _, err := os.Stat(target + ".before-restore"); err == nil {
				t.Error("a .before-restore copy was made though nothing was restored")
			}
		})
	}
}

// rawEdit copies src to dst and changes dst with a raw bbolt handle.
func rawEdit(t *testing.T, src, dst string, fn func(*bolt.Tx) error) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(dst, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestCheckAndReindex breaks the file behind the store's back and checks
// that Check finds each problem and Reindex repairs the index ones.
func TestCheckAndReindex(t *testing.T) {
	s, _ := openTest(t)
	fill(t, s, 3)
	path := s.Path()
	s.Close()
	var orphan model.ID
	rawEdit(t, path, path, func(btx *bolt.Tx) error {
		// A missing entry.
		k, _ := btx.Bucket(ixEmail).Cursor().First()
		if err := btx.Bucket(ixEmail).Delete(k); err != nil {
			return err
		}
		// A stale entry.
		if err := btx.Bucket(ixTag).Put(tagKey(model.EntityContact, "ghost", model.NewID(t0)), nil); err != nil {
			return err
		}
		// An out-of-date search entry.
		k, v := btx.Bucket(sxContacts).Cursor().First()
		orphan = model.ID(k)
		return btx.Bucket(sxContacts).Put(k, append(bytes.Clone(v), "xyz"...))
	})
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	view(t, s, func(tx *Tx) error {
		r := tx.Check()
		if r.OK() || r.IndexProblems != 3 {
			t.Errorf("Check: %d index problems, %q; want 3", r.IndexProblems, r.Problems)
		}
		for _, want := range []string{"ix_email: 1 missing", "ix_tag: 0 missing, 1 stale", "sx_contacts: 0 missing, 0 stale, 1 out-of-date"} {
			if !strings.Contains(strings.Join(r.Problems, "\n"), want) {
				t.Errorf("no problem %q in %q", want, r.Problems)
			}
		}
		return nil
	})
	update(t, s, func(tx *Tx) error { return tx.Reindex() })
	mustCheck(t, s)
	view(t, s, func(tx *Tx) error {
		if hits, _ := tx.SearchContacts("xyz", 0); len(hits) != 0 {
			t.Errorf("the broken search entry of %v survived Reindex", orphan)
		}
		return nil
	})
}

// TestCheckFindsDamage checks the problems Reindex cannot repair: records
// that do not decode, links to missing records, unknown stages.
func TestCheckFindsDamage(t *testing.T) {
	s, _ := openTest(t)
	fill(t, s, 2)
	path := s.Path()
	s.Close()
	var damaged model.ID
	rawEdit(t, path, path, func(btx *bolt.Tx) error {
		k, _ := btx.Bucket(bCompanies).Cursor().First()
		if err := btx.Bucket(bCompanies).Delete(k); err != nil { // contacts now link to nothing
			return err
		}
		k, _ = btx.Bucket(bTasks).Cursor().First()
		damaged = model.ID(k)
		return btx.Bucket(bTasks).Put(k, []byte{1, 0, 9, 200})
	})
	s, err := Open(path, Options{Pipeline: model.Pipeline{Stages: []model.Stage{
		{Key: "open"}, {Key: "won", Won: true}, {Key: "lost", Lost: true},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	view(t, s, func(tx *Tx) error {
		r := tx.Check()
		all := strings.Join(r.Problems, "\n")
		for _, want := range []string{"links to company", fmt.Sprintf("task %x cannot be read", damaged[:]), `stage "lead"`} {
			if !strings.Contains(all, want) {
				t.Errorf("no problem %q in:\n%s", want, all)
			}
		}
		if r.IndexProblems != 0 {
			t.Errorf("index problems counted while records are damaged: %d", r.IndexProblems)
		}
		if _, err := tx.Task(damaged); err == nil {
			t.Error("reading the damaged task gives no error")
		} else {
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.ID != damaged {
				t.Errorf("reading the damaged task: %v", err)
			}
		}
		return nil
	})
}

func TestReportLimitsProblems(t *testing.T) {
	r := &Report{}
	for range 250 {
		r.add("p")
	}
	if len(r.Problems) != 201 || !strings.Contains(r.Problems[200], "more") {
		t.Errorf("%d problems listed, last %q", len(r.Problems), r.Problems[len(r.Problems)-1])
	}
}

// A contact may have two numbers with the same digits (one read as
// E.164, one that does not parse in the region): one index entry, and
// Check counts it once.
func TestCheckTwoPhonesWithTheSameDigits(t *testing.T) {
	s, _ := openTest(t)
	c := putContact(t, s, model.Contact{Name: "John Smith", Phones: []model.Phone{{Number: "+44 20 7946 0000"}, {Number: "44 20 7946 0000"}}})
	if len(c.Phones) != 2 || model.PhoneDigits(c.Phones[0].Number) != model.PhoneDigits(c.Phones[1].Number) {
		t.Fatalf("phones %+v: the test needs two numbers with the same digits", c.Phones)
	}
	mustCheck(t, s)
}
