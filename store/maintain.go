package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// Reindex rebuilds every secondary index from the records.
func (tx *Tx) Reindex() error {
	if tx.pending != nil {
		tx.pending.reset() // rebuilt from the records below
	}
	for _, name := range indexBuckets {
		if tx.btx.Bucket(name) != nil {
			if err := tx.btx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.btx.CreateBucket(name); err != nil {
			return err
		}
	}
	// Written in key order, bucket by bucket, as a bulk write does:
	// random inserts of millions of entries in one transaction took
	// minutes on a 100k-contact file.
	saved := tx.pending
	tx.pending = newPendingIndex()
	defer func() { tx.pending = saved }()
	if err := tx.eachIndexEntry(tx.addIndexEntry); err != nil {
		return err
	}
	if err := tx.flush(nil); err != nil {
		return err
	}
	return tx.btx.Bucket(bMeta).Delete(mIndexing)
}

func (tx *Tx) addIndexEntry(e ixEntry) error { return tx.addIndex([]ixEntry{e}) }

// eachIndexEntry calls fn with every index entry the records call for.
func (tx *Tx) eachIndexEntry(fn func(ixEntry) error) error {
	emit := func(entries []ixEntry) error {
		for _, e := range entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	return firstErr(
		func() error {
			return companies.each(tx, func(c *model.Company) error { return emit(companyIndexes(tx, c)) })
		},
		func() error {
			return contacts.each(tx, func(c *model.Contact) error { return emit(contactIndexes(tx, c)) })
		},
		func() error { return deals.each(tx, func(d *model.Deal) error { return emit(dealIndexes(tx, d)) }) },
		func() error { return tasks.each(tx, func(t *model.Task) error { return emit(taskIndexes(tx, t)) }) },
		func() error {
			return activities.each(tx, func(a *model.Activity) error { return emit(activityIndexes(tx, a)) })
		},
	)
}

func firstErr(fns ...func() error) error {
	for _, fn := range fns {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// Report is what Check found.
type Report struct {
	Schema   int            `json:"schema_version"`
	Replica  string         `json:"replica"`
	Records  map[string]int `json:"records"`
	Changes  uint64         `json:"changes"`
	Problems []string       `json:"problems"`
	// IndexProblems counts the problems that Reindex repairs.
	IndexProblems int `json:"index_problems"`
}

// OK reports whether no problem was found.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) add(format string, args ...any) {
	if len(r.Problems) < 200 {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	} else if len(r.Problems) == 200 {
		r.Problems = append(r.Problems, "... more problems not listed")
	}
}

// Check verifies the file page by page, then that every record decodes,
// that links point at existing records, that the change log reads, and
// that every index holds exactly the entries the records call for.
func (tx *Tx) Check() *Report {
	r := &Report{Records: map[string]int{}, Problems: []string{}}
	for err := range tx.btx.Check() {
		r.add("file structure: %v", err)
	}
	meta := tx.btx.Bucket(bMeta)
	r.Schema = decodeVersion(meta.Get(mSchema))
	r.Replica = tx.s.replica.String()
	if r.Schema != SchemaVersion {
		r.add("schema version is %d, expected %d", r.Schema, SchemaVersion)
	}
	for _, name := range append(slices.Clone(recordBuckets), append([][]byte{bChanges, bTombstones}, indexBuckets...)...) {
		if tx.btx.Bucket(name) == nil {
			r.add("bucket %s is missing", name)
			return r
		}
	}
	checkRecords(tx, r, contacts, func(c *model.Contact) {
		tx.checkLink(r, "contact", c.ID, model.EntityCompany, c.CompanyID)
	})
	checkRecords(tx, r, companies, func(*model.Company) {})
	checkRecords(tx, r, deals, func(d *model.Deal) {
		tx.checkLink(r, "deal", d.ID, model.EntityContact, d.ContactID)
		tx.checkLink(r, "deal", d.ID, model.EntityCompany, d.CompanyID)
		if _, ok := tx.s.opts.Pipeline.Stage(d.Stage); !ok {
			r.add("deal %s is in stage %q, which the pipeline in config.toml does not have", d.ID, d.Stage)
		}
	})
	checkRecords(tx, r, tasks, func(t *model.Task) {
		tx.checkLink(r, "task", t.ID, model.EntityContact, t.ContactID)
		tx.checkLink(r, "task", t.ID, model.EntityDeal, t.DealID)
		tx.checkLink(r, "task", t.ID, model.EntityCompany, t.CompanyID)
	})
	checkRecords(tx, r, activities, func(a *model.Activity) {
		tx.checkLink(r, "activity", a.ID, model.EntityContact, a.ContactID)
		tx.checkLink(r, "activity", a.ID, model.EntityDeal, a.DealID)
		tx.checkLink(r, "activity", a.ID, model.EntityCompany, a.CompanyID)
	})
	c := tx.btx.Bucket(bChanges).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if _, err := decodeChange(k, v); err != nil {
			r.add("change log entry %x cannot be read", k)
		}
		r.Changes++
	}
	if len(r.Problems) == 0 {
		tx.checkIndexes(r)
	}
	return r
}

func checkRecords[T any](tx *Tx, r *Report, t *table[T], links func(*T)) {
	n := 0
	c := tx.btx.Bucket(t.bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		n++
		var rec T
		_, body, err := splitEnvelope(v)
		if err == nil {
			err = t.decode(body, &rec)
		}
		if err != nil || len(k) != 16 {
			r.add("%s %x cannot be read", t.entity, k)
			continue
		}
		*t.idOf(&rec) = model.ID(k)
		links(&rec)
	}
	r.Records[t.entity.String()] = n
}

func (tx *Tx) checkLink(r *Report, what string, id model.ID, e model.Entity, target model.ID) {
	if !target.IsZero() && tx.btx.Bucket(bucketOf(e)).Get(target[:]) == nil {
		r.add("%s %s links to %s %s, which does not exist", what, id, e, target)
	}
}

// checkIndexes compares each index bucket with the entries the records
// call for.
func (tx *Tx) checkIndexes(r *Report) {
	want := map[string][]ixEntry{}
	err := tx.eachIndexEntry(func(e ixEntry) error {
		want[string(e.bucket)] = append(want[string(e.bucket)], e)
		return nil
	})
	if err != nil {
		r.add("index check: %v", err)
		return
	}
	for _, name := range indexBuckets {
		// A record may call for one key twice (two phone numbers with the
		// same digits): the file holds it once, with the value written last.
		entries := want[string(name)]
		slices.SortStableFunc(entries, func(a, b ixEntry) int { return bytes.Compare(a.key, b.key) })
		unique := entries[:0]
		for i, e := range entries {
			if i+1 < len(entries) && bytes.Equal(e.key, entries[i+1].key) {
				continue
			}
			unique = append(unique, e)
		}
		entries = unique
		missing, stale, wrong := 0, 0, 0
		c := tx.index(name).Cursor()
		k, v := c.First()
		for i := 0; i < len(entries) || k != nil; {
			switch {
			case k == nil || (i < len(entries) && bytes.Compare(entries[i].key, k) < 0):
				missing++
				i++
			case i >= len(entries) || bytes.Compare(entries[i].key, k) > 0:
				stale++
				k, v = c.Next()
			default:
				if !bytes.Equal(entries[i].value, v) {
					wrong++
				}
				i++
				k, v = c.Next()
			}
		}
		if n := missing + stale + wrong; n > 0 {
			r.IndexProblems += n
			r.add("index %s: %d missing, %d stale, %d out-of-date entries (rolo doctor --repair rebuilds it)", name, missing, stale, wrong)
		}
	}
}

// Backup writes a consistent copy of the database to path while others
// may keep using it: the copy is written to a temporary file, synced and
// renamed into place.
func (s *Store) Backup(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if self, _ := filepath.Abs(s.path); self == abs {
		return fmt.Errorf("backup %s: that is the database itself", path)
	}
	err = s.View(func(tx *Tx) error { return copyTo(tx.btx, abs) })
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return syncDir(filepath.Dir(abs))
}

// Verify opens the file at path read-only and checks it: it must be a
// rolo database this build can read, and pass Check.
func Verify(path string, opts Options) (*Report, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("verify %s: %w", path, err)
	}
	opts = opts.withDefaults()
	opts.ReadOnly = true
	opts.Transient = false
	s := &Store{path: path, opts: opts}
	db, err := s.openBolt(true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	version, replica, indexing, err := readHeader(db)
	switch {
	case err != nil:
		return nil, fmt.Errorf("verify %s: %w", path, err)
	case version == 0:
		return nil, fmt.Errorf("%s is not a rolo database (no schema version)", path)
	case version > SchemaVersion:
		return nil, newerSchema(path, version)
	}
	s.replica = replica
	if version < SchemaVersion || indexing {
		// An older file, or one whose indexes an import left unfinished, is
		// checked only at the file level; Open migrates it or rebuilds them.
		r := &Report{Schema: version, Replica: replica.String(), Records: map[string]int{}, Problems: []string{}}
		err = db.View(func(btx *bolt.Tx) error {
			for e := range btx.Check() {
				r.add("file structure: %v", e)
			}
			return nil
		})
		return r, err
	}
	var r *Report
	err = db.View(func(btx *bolt.Tx) error {
		r = newTx(s, btx).Check()
		return nil
	})
	return r, err
}

// Restore replaces the database at target with the backup at src after
// verifying the backup. The replaced file is kept next to it with a
// .before-restore suffix. It waits for other processes like any writer.
func Restore(target, src string, opts Options) (kept string, err error) {
	r, err := Verify(src, opts)
	if err != nil {
		return "", err
	}
	if !r.OK() {
		return "", fmt.Errorf("%s failed verification, nothing was restored:\n  %s", src, strings.Join(r.Problems, "\n  "))
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return "", err
	}
	s := &Store{path: target, opts: opts.withDefaults()}
	if _, err := os.Stat(target); err == nil {
		// Holding the old file's lock keeps other rolo processes out
		// while it is copied aside and replaced.
		db, err := s.openBolt(false)
		if err != nil {
			return "", err
		}
		defer db.Close()
		kept = target + ".before-restore"
		if err := db.View(func(tx *bolt.Tx) error { return copyTo(tx, kept) }); err != nil {
			return "", fmt.Errorf("keep a copy of %s: %w", target, err)
		}
	}
	if err := copyFile(src, target); err != nil {
		return kept, fmt.Errorf("restore %s: %w", target, err)
	}
	return kept, syncDir(filepath.Dir(target))
}

// copyFile copies src to dst through a synced temporary file and a rename,
// so dst is always either the old file or the complete new one.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
