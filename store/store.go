package store

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rolo-crm/rolo/model"
)

// DefaultLockTimeout is how long a process waits for another one to
// release the file before giving up with ErrBusy.
const DefaultLockTimeout = 2 * time.Second

// Options configure a Store.
type Options struct {
	// ReadOnly opens the file with a shared lock: many readers may run at
	// once, and no write is allowed.
	ReadOnly bool
	// Transient holds the file only while a transaction runs, so another
	// process can write between them. The TUI uses it.
	Transient bool
	// LockTimeout bounds the wait for another process's lock
	// (DefaultLockTimeout when zero).
	LockTimeout time.Duration
	// Rules are the normalisation settings (phone region, currency).
	Rules model.Rules
	// Pipeline is the deal pipeline (model.DefaultPipeline when empty).
	Pipeline model.Pipeline
	// Now returns the current time (time.Now when nil).
	Now func() time.Time
	// Repairing, when set, is called before Open works on the file for a
	// while before it can be used (seconds for 100,000 contacts), so that
	// the user can be told why.
	Repairing func(Repair)
}

// Repair is work Open does on a file before it can be used.
type Repair int

const (
	// RepairMigrate migrates a file of an older schema.
	RepairMigrate Repair = iota + 1
	// RepairIndexes rebuilds the indexes a Loader left unfinished (an
	// import or a first pull that stopped part-way).
	RepairIndexes
)

func (s *Store) repairing(r Repair) {
	if s.opts.Repairing != nil {
		s.opts.Repairing(r)
	}
}

// withDefaults fills in the zero fields that have a default.
func (o Options) withDefaults() Options {
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if len(o.Pipeline.Stages) == 0 {
		o.Pipeline = model.DefaultPipeline()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Store is a rolo database file.
type Store struct {
	path    string
	opts    Options
	replica Replica

	mu      sync.Mutex // guards db and users in transient mode, and loading
	db      *bolt.DB
	users   int
	loading int // Loaders not yet closed: their file's indexing mark is theirs
}

// Open opens the database at path, creating it (and its directory) when
// missing and migrating an older schema in place after writing a backup
// copy next to it.
func Open(path string, opts Options) (*Store, error) {
	s := &Store{path: path, opts: opts.withDefaults()}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, fmt.Errorf("create the directory for %s: %w", s.path, err)
	}
	db, err := s.openCurrent(opts.ReadOnly && !opts.Transient)
	if err != nil {
		return nil, err
	}
	if opts.Transient { // hold nothing until the first transaction
		return s, db.Close()
	}
	s.db = db
	return s, nil
}

// openCurrent opens the file at the current schema: one open when the
// file is up to date, a read-write one first when it must be created or
// migrated.
func (s *Store) openCurrent(readOnly bool) (*bolt.DB, error) {
	if fi, err := os.Stat(s.path); err == nil && fi.Size() > 0 { // an empty file is a new one
		db, err := s.openBolt(readOnly)
		if err != nil {
			return nil, err
		}
		version, replica, indexing, err := readHeader(db)
		switch {
		case err != nil:
			db.Close()
			return nil, err
		case version > SchemaVersion:
			db.Close()
			return nil, newerSchema(s.path, version)
		case version == SchemaVersion && (!indexing || s.loading > 0):
			s.replica = replica
			return db, nil
		case !readOnly:
			if err := s.initOrMigrate(db); err != nil {
				db.Close()
				return nil, err
			}
			return db, nil
		}
		db.Close()
	}
	db, err := s.openBolt(false)
	if err != nil {
		return nil, err
	}
	if err := s.initOrMigrate(db); err != nil || !readOnly {
		if err != nil {
			db.Close()
		}
		return db, err
	}
	db.Close()
	return s.openBolt(true)
}

// writeMmapSize is how much of a file a read-write Store maps from the
// start.
const writeMmapSize = 1 << 30

// minFileSize is the size of the smallest file bbolt writes: four pages of
// at least 4 KiB. A shorter file that is not empty is not a database.
const minFileSize = 4 * 4096

func (s *Store) openBolt(readOnly bool) (*bolt.DB, error) {
	if fi, err := os.Stat(s.path); err == nil && fi.Size() > 0 && fi.Size() < minFileSize {
		return nil, fmt.Errorf("%s is not a rolo database or is damaged: it is only %d bytes long", s.path, fi.Size())
	}
	opts := &bolt.Options{Timeout: s.opts.LockTimeout, ReadOnly: readOnly}
	if !readOnly && runtime.GOOS != "windows" && strconv.IntSize == 64 {
		// When a commit outgrows the mapping, bbolt maps the file again and
		// first copies every key and value the transaction holds out of
		// the old mapping: an import's or a first sync's transactions grow
		// the file several times. Map address space ahead of the file
		// instead (it costs no memory; on Windows it would size the file).
		opts.InitialMmapSize = writeMmapSize
	}
	db, err := bolt.Open(s.path, 0o600, opts)
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &BusyError{Path: s.path}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("%s is not a rolo database or is damaged: %w", s.path, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", s.path, err)
	}
	return db, nil
}

// readHeader returns the schema version and replica id of an open file;
// version 0 means the file is new and empty. A bbolt file that holds
// buckets but no schema version belongs to another program: it is an
// error, so that it is never initialised as a rolo database.
func readHeader(db *bolt.DB) (version int, replica Replica, indexing bool, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bMeta); meta != nil {
			version = decodeVersion(meta.Get(mSchema))
			copy(replica[:], meta.Get(mReplica))
			indexing = meta.Get(mIndexing) != nil
		}
		if name, _ := tx.Cursor().First(); version == 0 && name != nil {
			return fmt.Errorf("%s is not a rolo database: it holds a bucket %q but no rolo schema version", db.Path(), name)
		}
		return nil
	})
	return version, replica, indexing, err
}

func (s *Store) initOrMigrate(db *bolt.DB) error {
	version, replica, indexing, err := readHeader(db)
	if err != nil {
		return err
	}
	if version == 0 {
		if _, err := rand.Read(replica[:]); err != nil {
			return err
		}
		err = db.Update(func(tx *bolt.Tx) error { return initSchema(tx, replica, s.opts.Now()) })
		if err != nil {
			return fmt.Errorf("initialise %s: %w", s.path, err)
		}
		s.replica = replica
		return nil
	}
	s.replica = replica
	// Another process may have initialised or upgraded the file since
	// prepare looked.
	switch {
	case version > SchemaVersion:
		return newerSchema(s.path, version)
	case version == SchemaVersion && indexing && s.loading == 0:
		s.repairing(RepairIndexes)
		return s.rebuildIndexes(db)
	case version == SchemaVersion:
		return nil
	}
	s.repairing(RepairMigrate)
	return s.migrate(db, version)
}

func newerSchema(path string, version int) error {
	return fmt.Errorf("%s was written by a newer rolo (schema %d; this build reads up to %d): upgrade rolo", path, version, SchemaVersion)
}

// Close releases the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Replica returns this database's replica id.
// A transient store reads it again when it reopens the file, under s.mu.
func (s *Store) Replica() Replica {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.replica
}

// Pipeline returns the deal pipeline the store validates against.
func (s *Store) Pipeline() model.Pipeline { return s.opts.Pipeline }

// Rules returns the normalisation rules.
func (s *Store) Rules() model.Rules { return s.opts.Rules }

// Now returns the store's current time.
func (s *Store) Now() time.Time { return s.opts.Now() }

// acquire returns an open handle, opening the file in transient mode;
// release must follow.
func (s *Store) acquire() (*bolt.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.opts.Transient {
		if s.db == nil {
			return nil, errors.New("store is closed")
		}
		return s.db, nil
	}
	if s.db == nil {
		// The file may have been replaced since the last transaction (a
		// restore from another process): read its header again, migrating
		// or initialising it as Open would.
		db, err := s.openCurrent(s.opts.ReadOnly)
		if err != nil {
			return nil, err
		}
		s.db = db
	}
	s.users++
	return s.db, nil
}

func (s *Store) release() {
	if !s.opts.Transient {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users--
	if s.users == 0 && s.db != nil {
		s.db.Close()
		s.db = nil
	}
}

// Update runs fn in one read-write transaction: everything fn writes is
// committed together, or nothing is when fn returns an error.
func (s *Store) Update(fn func(*Tx) error) error {
	if s.opts.ReadOnly {
		return errors.New("the database was opened read-only")
	}
	db, err := s.acquire()
	if err != nil {
		return err
	}
	defer s.release()
	err = db.Update(func(btx *bolt.Tx) error {
		tx := newTx(s, btx)
		if err := fn(tx); err != nil {
			return err
		}
		if err := tx.finish(); err != nil {
			return err
		}
		// Every change goes through a node bbolt reads into memory: with
		// none, nothing changed. Rolling back then is the same as
		// committing, without writing the free-page list and syncing the
		// file twice (a sync with nothing to do checks in several
		// transactions that have nothing to write).
		if st := btx.Stats(); st.GetNodeCount() == 0 {
			return errUnchanged
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// errUnchanged rolls back a read-write transaction that wrote nothing.
var errUnchanged = errors.New("nothing written")

// View runs fn in a read-only transaction that sees one consistent state.
func (s *Store) View(fn func(*Tx) error) error {
	db, err := s.acquire()
	if err != nil {
		return err
	}
	defer s.release()
	return db.View(func(btx *bolt.Tx) error { return fn(newTx(s, btx)) })
}
