package store

import (
	"encoding/binary"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

func decodeVersion(v []byte) int {
	if len(v) != 4 {
		return 0
	}
	return int(binary.BigEndian.Uint32(v))
}

func encodeVersion(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// initSchema creates every bucket of the current schema in a new file.
func initSchema(tx *bolt.Tx, replica Replica, now time.Time) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	meta := tx.Bucket(bMeta)
	for k, v := range map[string][]byte{
		string(mSchema):  encodeVersion(SchemaVersion),
		string(mReplica): replica[:],
		string(mCreated): []byte(now.UTC().Format(time.RFC3339)),
	} {
		if err := meta.Put([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

func createBuckets(tx *bolt.Tx) error {
	all := append([][]byte{bMeta, bChanges, bTombstones}, recordBuckets...)
	for _, name := range append(all, indexBuckets...) {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// A migration moves a file from one schema version to the next inside the
// transaction it is given. One that changes what the indexes hold asks for
// a rebuild, which runs once after every step.
type migration struct {
	from    int
	what    string
	run     func(*Tx) error // nil: nothing but the rebuild
	reindex bool
}

var migrations = []migration{
	{from: 1, what: "build the secondary indexes", reindex: true,
		run: func(tx *Tx) error { return createBuckets(tx.btx) }},
	{from: 2, what: "rebuild the search entries with readings ranked", reindex: true},
}

// migrate brings a file at an older version up to SchemaVersion: it first
// copies the file next to itself, then runs every step in one transaction,
// so a failure or a crash leaves the old file as it was.
func (s *Store) migrate(db *bolt.DB, version int) error {
	backup := fmt.Sprintf("%s.schema%d-%s.bak", s.path, version, s.opts.Now().UTC().Format("20060102T150405"))
	if err := db.View(func(tx *bolt.Tx) error { return copyTo(tx, backup) }); err != nil {
		return fmt.Errorf("back up %s before migrating it: %w", s.path, err)
	}
	return db.Update(func(btx *bolt.Tx) error {
		tx := newTx(s, btx)
		reindex := false
		for _, m := range migrations {
			if m.from < version {
				continue
			}
			if m.run != nil {
				if err := m.run(tx); err != nil {
					return fmt.Errorf("migrate %s from schema %d (%s): %w", s.path, m.from, m.what, err)
				}
			}
			reindex = reindex || m.reindex
		}
		if reindex {
			if err := tx.Reindex(); err != nil {
				return fmt.Errorf("migrate %s: rebuild the indexes: %w", s.path, err)
			}
		}
		if err := btx.Bucket(bMeta).Put(mSchema, encodeVersion(SchemaVersion)); err != nil {
			return err
		}
		return tx.finish()
	})
}

// copyTo writes a consistent copy of the file as seen by tx to path:
// written to a temporary file, synced, then renamed into place.
func copyTo(tx *bolt.Tx, path string) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := tx.WriteTo(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
