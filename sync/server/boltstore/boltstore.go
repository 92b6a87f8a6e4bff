// Package boltstore keeps a team server's data in one bbolt file: the
// default, zero set-up backend of `rolo serve --data DIR`.
//
// Layout: a meta bucket (schema version, epoch), a tokens bucket (id ->
// JSON), and a bucket per team holding its op log ("ops": seq -> replica
// and op JSON; the sequence is the bucket's own, assigned inside the
// write transaction), the ops stored per record ("ids": entity, id,
// replica, hlc -> seq; keyed by record so that a whole-state push, which
// comes in record order, appends) and the record states ("recs": entity,
// id -> alive, modified, state). Concurrent pushes are grouped into one transaction
// with bbolt's DB.Batch.
package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/server"
)

// FileName is the name of the data file inside the data directory.
const FileName = "rolo-server.db"

const schemaVersion = 1

var (
	bMeta   = []byte("meta")
	bTokens = []byte("tokens")
	bTeams  = []byte("teams")
	bOps    = []byte("ops")
	bIDs    = []byte("ids")
	bRecs   = []byte("recs")

	mSchema = []byte("schema_version")
	mEpoch  = []byte("epoch")
)

// Store is the bbolt backend.
type Store struct {
	db *bolt.DB
}

var _ server.Storage = (*Store)(nil)
var _ server.Backuper = (*Store)(nil)

// mmapSize is how much of the data file a Store maps from the start.
const mmapSize = 1 << 30

// Open opens (creating when missing) the data file in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	opts := &bolt.Options{
		Timeout:        time.Second,
		FreelistType:   bolt.FreelistMapType,
		NoFreelistSync: true,
	}
	if runtime.GOOS != "windows" && strconv.IntSize == 64 {
		// When a commit outgrows the mapping, bbolt maps the file again and
		// first copies every key and value the transaction holds out of
		// the old mapping: a first sync's big pushes grow the file many
		// times. Map address space ahead of the file instead (it costs no
		// memory; on Windows it would size the file). store.Open does the
		// same for the same reason.
		opts.InitialMmapSize = mmapSize
	}
	db, err := bolt.Open(path, 0o600, opts)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%s is in use by another process (is a rolo serve running on it?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.Update(initialise); err != nil {
		db.Close()
		return nil, fmt.Errorf("initialise %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

func initialise(tx *bolt.Tx) error {
	for _, name := range [][]byte{bMeta, bTokens, bTeams} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	switch v := meta.Get(mSchema); {
	case v == nil:
		if err := meta.Put(mSchema, binary.BigEndian.AppendUint32(nil, schemaVersion)); err != nil {
			return err
		}
	case len(v) != 4:
		return errors.New("not a rolo server data file")
	case binary.BigEndian.Uint32(v) > schemaVersion:
		return fmt.Errorf("written by a newer rolo (schema %d): upgrade rolo", binary.BigEndian.Uint32(v))
	}
	if meta.Get(mEpoch) == nil {
		return setEpoch(tx)
	}
	return nil
}

func newEpoch() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func setEpoch(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(mEpoch, []byte(newEpoch())) }

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Epoch returns the file's epoch.
func (s *Store) Epoch(context.Context) (string, error) {
	var e string
	err := s.db.View(func(tx *bolt.Tx) error {
		e = string(tx.Bucket(bMeta).Get(mEpoch))
		return nil
	})
	return e, err
}

// NewEpoch gives the file a fresh epoch.
func (s *Store) NewEpoch(ctx context.Context) (string, error) {
	if err := s.db.Update(setEpoch); err != nil {
		return "", err
	}
	return s.Epoch(ctx)
}

type tokenJSON struct {
	Team      string    `json:"team"`
	User      string    `json:"user"`
	Admin     bool      `json:"admin"`
	Hash      []byte    `json:"hash"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// CreateToken stores a token.
func (s *Store) CreateToken(_ context.Context, t server.Token) error {
	v, err := json.Marshal(tokenJSON{t.Team, t.User, t.Admin, t.Hash, t.CreatedAt, t.RevokedAt})
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bTokens)
		if b.Get([]byte(t.ID)) != nil {
			return fmt.Errorf("token %s exists", t.ID)
		}
		return b.Put([]byte(t.ID), v)
	})
}

func decodeToken(id string, v []byte) (server.Token, error) {
	var j tokenJSON
	if err := json.Unmarshal(v, &j); err != nil {
		return server.Token{}, fmt.Errorf("token %s: %w", id, err)
	}
	return server.Token{ID: id, Team: j.Team, User: j.User, Admin: j.Admin, Hash: j.Hash, CreatedAt: j.CreatedAt, RevokedAt: j.RevokedAt}, nil
}

// Token returns a token by id.
func (s *Store) Token(_ context.Context, id string) (server.Token, error) {
	var t server.Token
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bTokens).Get([]byte(id))
		if v == nil {
			return server.ErrNotFound
		}
		var err error
		t, err = decodeToken(id, v)
		return err
	})
	return t, err
}

// RevokeToken marks a token revoked.
func (s *Store) RevokeToken(_ context.Context, id string, at time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bTokens)
		v := b.Get([]byte(id))
		if v == nil {
			return server.ErrNotFound
		}
		var j tokenJSON
		if err := json.Unmarshal(v, &j); err != nil {
			return err
		}
		if j.RevokedAt.IsZero() {
			j.RevokedAt = at.UTC()
		}
		nv, err := json.Marshal(j)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), nv)
	})
}

// Tokens lists tokens, oldest first.
func (s *Store) Tokens(_ context.Context, team string) ([]server.Token, error) {
	var out []server.Token
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bTokens).ForEach(func(k, v []byte) error {
			t, err := decodeToken(string(k), v)
			if err == nil && (team == "" || t.Team == team) {
				out = append(out, t)
			}
			return err
		})
	})
	slices.SortStableFunc(out, func(a, b server.Token) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, err
}

// team returns a team's buckets, creating them when create is set; nil
// when the team has none yet.
type teamBuckets struct{ ops, ids, recs *bolt.Bucket }

func team(tx *bolt.Tx, name string, create bool) (*teamBuckets, error) {
	teams := tx.Bucket(bTeams)
	tb := teams.Bucket([]byte(name))
	if tb == nil {
		if !create {
			return nil, nil
		}
		var err error
		if tb, err = teams.CreateBucket([]byte(name)); err != nil {
			return nil, err
		}
		for _, n := range [][]byte{bOps, bIDs, bRecs} {
			if _, err := tb.CreateBucket(n); err != nil {
				return nil, err
			}
		}
	}
	t := &teamBuckets{ops: tb.Bucket(bOps), ids: tb.Bucket(bIDs), recs: tb.Bucket(bRecs)}
	t.ops.FillPercent = 1 // appended in order
	// A whole-state push writes records in key order: pages that fill up
	// in order are left nearly full rather than half.
	t.ids.FillPercent, t.recs.FillPercent = 0.9, 0.9
	return t, nil
}

// opKeyLen is the length of an op's key in the ids bucket: entity, id,
// replica, hlc.
const opKeyLen = 1 + 16 + 16 + 8

func appendOpKey(k []byte, op *server.OpRecord) []byte {
	k = append(append(k, byte(op.Entity)), op.ID[:]...)
	k = append(k, op.Replica[:]...)
	return binary.BigEndian.AppendUint64(k, uint64(op.HLC))
}

func recKey(k server.RecordKey) []byte { return appendRecKey(nil, k) }

func appendRecKey(b []byte, k server.RecordKey) []byte {
	return append(append(b, byte(k.Entity)), k.ID[:]...)
}

// recKeyLen is the length of a record's key in the recs bucket.
const recKeyLen = 1 + 16

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// bigPush is the number of ops from which a push has a transaction of
// its own: DB.Batch waits for companions (up to 10 ms) to share one
// commit, which helps many small pushes and only delays a big one.
const bigPush = 500

// Push stores ops; concurrent small pushes share a transaction (DB.Batch).
func (s *Store) Push(_ context.Context, teamName string, ops []server.OpRecord, merge server.MergeFunc) (server.PushResult, error) {
	// What needs no transaction is done before one: the next push waits
	// for this one's.
	in := preparePush(ops)
	defer in.release()
	var res server.PushResult
	update := s.db.Batch
	if len(ops) >= bigPush {
		update = s.db.Update
	}
	err := update(func(tx *bolt.Tx) (err error) {
		res, err = in.store(tx, teamName, merge)
		return err
	})
	return res, err
}

// arenas keeps the buffers pushes copy their values into, for the next
// pushes: a big push's are megabytes, which a new buffer must clear first.
var arenas sync.Pool // of *[]byte

// pushInput is a push's ops made ready to store: their keys in the ids
// bucket, in key order, and their values in the ops bucket. Keys and
// values must stay valid until the commit: they come from one allocation
// rather than one each.
type pushInput struct {
	ops    []server.OpRecord
	keys   []opKey
	values [][]byte // by op: the replica and the op's JSON
	arena  *[]byte  // holding the values
}

func preparePush(ops []server.OpRecord) *pushInput {
	size := 0
	for i := range ops {
		size += 16 + len(ops[i].Body)
	}
	in := &pushInput{ops: ops, keys: opKeys(ops), values: make([][]byte, len(ops))}
	in.arena, _ = arenas.Get().(*[]byte)
	if in.arena == nil {
		in.arena = new([]byte)
	}
	arena := slices.Grow((*in.arena)[:0], size)
	for i := range ops {
		n := len(arena)
		arena = append(append(arena, ops[i].Replica[:]...), ops[i].Body...)
		in.values[i] = arena[n:len(arena):len(arena)]
	}
	*in.arena = arena
	return in
}

// release hands the values' buffer over to later pushes, once the
// transaction that stored them is over.
func (in *pushInput) release() { arenas.Put(in.arena) }

func (in *pushInput) store(tx *bolt.Tx, teamName string, merge server.MergeFunc) (server.PushResult, error) {
	ops := in.ops
	res := server.PushResult{Status: make([]server.OpStatus, len(ops))}
	t, err := team(tx, teamName, true)
	if err != nil {
		return res, err
	}
	markDuplicates(t.ids, in.keys, res.Status)
	seqKeys := make([]byte, 0, 8*len(ops))
	seqs := make([][]byte, len(ops))
	stored := make([]server.StoredOp, 0, len(ops))
	for i := range ops {
		if res.Status[i] == server.OpDuplicate {
			continue
		}
		seq, err := t.ops.NextSequence()
		if err != nil {
			return res, err
		}
		n := len(seqKeys)
		seqKeys = binary.BigEndian.AppendUint64(seqKeys, seq)
		seqs[i] = seqKeys[n : n+8 : n+8]
		if err := t.ops.Put(seqs[i], in.values[i]); err != nil {
			return res, err
		}
		stored = append(stored, server.StoredOp{Seq: seq, OpRecord: ops[i]})
	}
	for _, k := range in.keys {
		if seq := seqs[k.op]; seq != nil {
			if err := t.ids.Put(k.key, seq); err != nil {
				return res, err
			}
		}
	}
	res.LastSeq = t.ops.Sequence()
	if len(stored) == 0 {
		return res, nil
	}
	return res, storeRows(t.recs, stored, merge)
}

// storeRows merges the stored ops into their records' rows.
func storeRows(b *bolt.Bucket, stored []server.StoredOp, merge server.MergeFunc) error {
	keys := recordKeys(stored)
	rows, err := readRows(b, keys)
	if err != nil {
		return err
	}
	if err := merge(stored, rows); err != nil {
		return err
	}
	// Row keys and values, like the ops', must stay valid until the commit.
	buf := make([]byte, 0, len(rows)*(recKeyLen+80))
	for _, k := range keys {
		if row := rows[k]; row != nil {
			n := len(buf)
			buf = appendRecKey(buf, k)
			buf = appendRow(buf, row)
			if err := b.Put(buf[n:n+recKeyLen:n+recKeyLen], buf[n+recKeyLen:len(buf):len(buf)]); err != nil {
				return err
			}
		}
	}
	return nil
}

// opKey is an op's key in the ids bucket.
type opKey struct {
	key []byte
	op  int // the op's index in the push
}

// opKeys returns the ops' keys in the ids bucket, in key order (and in
// the push's order for equal keys): B-tree lookups and inserts in order
// touch each page once, in turn. A whole-state push comes in key order
// already.
func opKeys(ops []server.OpRecord) []opKey {
	buf := make([]byte, 0, len(ops)*opKeyLen)
	keys := make([]opKey, len(ops))
	for i := range ops {
		n := len(buf)
		buf = appendOpKey(buf, &ops[i])
		keys[i] = opKey{buf[n:len(buf):len(buf)], i}
	}
	cmpKeys := func(a, b opKey) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.op, b.op)
	}
	if !slices.IsSortedFunc(keys, cmpKeys) {
		slices.SortFunc(keys, cmpKeys)
	}
	return keys
}

// markDuplicates marks the ops that are stored already, or that come
// twice in the push (the later ones).
func markDuplicates(ids *bolt.Bucket, keys []opKey, status []server.OpStatus) {
	sk := seeker{c: ids.Cursor()}
	for j, k := range keys {
		if j > 0 && bytes.Equal(k.key, keys[j-1].key) {
			status[k.op] = server.OpDuplicate
			continue
		}
		if _, ok := sk.get(k.key); ok {
			status[k.op] = server.OpDuplicate
		}
	}
}

// seeker looks keys up in a bucket in increasing order. It seeks only for
// a key past the stored one its last seek found: a run of keys that fall
// between two stored ones (a first sync's: all of them) costs one seek.
type seeker struct {
	c      *bolt.Cursor
	k, v   []byte // the first stored key at or after the last one sought
	sought bool
}

// get returns the value stored under key, which must not be less than the
// keys asked for before. The bucket must not change meanwhile.
func (s *seeker) get(key []byte) ([]byte, bool) {
	if !s.sought || s.k != nil && bytes.Compare(s.k, key) < 0 {
		s.k, s.v = s.c.Seek(key)
		s.sought = true
	}
	if s.k != nil && bytes.Equal(s.k, key) {
		return s.v, true
	}
	return nil, false
}

// recordKeys lists the records ops touch, in key order: B-tree lookups and
// inserts in order touch each page once, in turn. (A whole-state push
// comes in key order already.)
func recordKeys(ops []server.StoredOp) []server.RecordKey {
	keys := make([]server.RecordKey, 0, len(ops))
	for _, op := range ops {
		k := server.RecordKey{Entity: op.Entity, ID: op.ID}
		if len(keys) == 0 || keys[len(keys)-1] != k {
			keys = append(keys, k)
		}
	}
	if !slices.IsSortedFunc(keys, server.RecordKey.Compare) {
		slices.SortFunc(keys, server.RecordKey.Compare)
		keys = slices.Compact(keys)
	}
	return keys
}

// readRows reads the rows of the records keys name (without duplicates,
// in order), leaving out those that have none.
func readRows(recs *bolt.Bucket, keys []server.RecordKey) (map[server.RecordKey]*server.RecordRow, error) {
	rows := make(map[server.RecordKey]*server.RecordRow)
	sk := seeker{c: recs.Cursor()}
	var key [recKeyLen]byte
	for _, k := range keys {
		if v, ok := sk.get(appendRecKey(key[:0], k)); ok {
			row, err := decodeRow(k, v)
			if err != nil {
				return nil, err
			}
			rows[k] = &row
		}
	}
	return rows, nil
}

// appendRow appends a row's stored form to b.
func appendRow(b []byte, r *server.RecordRow) []byte {
	alive := byte(0)
	if r.Alive {
		alive = 1
	}
	b = append(b, alive)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Modified.UnixNano()))
	return append(b, r.State...)
}

func decodeRow(k server.RecordKey, v []byte) (server.RecordRow, error) {
	if len(v) < 9 {
		return server.RecordRow{}, fmt.Errorf("record %s %s: damaged row", k.Entity, k.ID)
	}
	return server.RecordRow{
		Key:      k,
		Alive:    v[0] == 1,
		Modified: time.Unix(0, int64(binary.BigEndian.Uint64(v[1:9]))).UTC(),
		State:    bytes.Clone(v[9:]),
	}, nil
}

// Changes reads a team's log after seq after.
func (s *Store) Changes(_ context.Context, teamName string, after uint64, limit, scan int, exclude store.Replica) (server.ChangesPage, error) {
	page := server.ChangesPage{Next: after}
	err := s.db.View(func(tx *bolt.Tx) error {
		t, err := team(tx, teamName, false)
		if t == nil || err != nil {
			return err
		}
		c := t.ops.Cursor()
		read := 0
		for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
			if len(page.Ops) >= limit || read >= scan {
				page.More = true
				return nil
			}
			read++
			page.Next = binary.BigEndian.Uint64(k)
			if len(v) < 16 {
				return fmt.Errorf("op %d: damaged", page.Next)
			}
			var r store.Replica
			copy(r[:], v)
			if exclude != (store.Replica{}) && r == exclude {
				continue
			}
			page.Ops = append(page.Ops, server.StoredOp{Seq: page.Next, OpRecord: server.OpRecord{Replica: r, Body: bytes.Clone(v[16:])}})
		}
		return nil
	})
	return page, err
}

// LastSeq returns the team's latest sequence number.
func (s *Store) LastSeq(_ context.Context, teamName string) (uint64, error) {
	var n uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		t, err := team(tx, teamName, false)
		if t != nil {
			n = t.ops.Sequence()
		}
		return err
	})
	return n, err
}

// Ops returns ops by sequence number.
func (s *Store) Ops(_ context.Context, teamName string, seqs []uint64) (map[uint64][]byte, error) {
	out := make(map[uint64][]byte, len(seqs))
	err := s.db.View(func(tx *bolt.Tx) error {
		t, err := team(tx, teamName, false)
		if t == nil || err != nil {
			return err
		}
		for _, seq := range seqs {
			if v := t.ops.Get(u64(seq)); len(v) >= 16 {
				out[seq] = bytes.Clone(v[16:])
			}
		}
		return nil
	})
	return out, err
}

// Records returns record rows in key order.
func (s *Store) Records(_ context.Context, teamName string, q server.RecordQuery) ([]server.RecordRow, error) {
	var out []server.RecordRow
	err := s.db.View(func(tx *bolt.Tx) error {
		t, err := team(tx, teamName, false)
		if t == nil || err != nil {
			return err
		}
		c := t.recs.Cursor()
		var k, v []byte
		switch {
		case q.After != (server.RecordKey{}):
			k, v = c.Seek(recKey(q.After))
			if k != nil && bytes.Equal(k, recKey(q.After)) {
				k, v = c.Next()
			}
		case q.Entity != 0:
			k, v = c.Seek([]byte{byte(q.Entity)})
		default:
			k, v = c.First()
		}
		for ; k != nil && len(out) < q.Limit; k, v = c.Next() {
			if len(k) != 17 {
				continue
			}
			key := server.RecordKey{Entity: model.Entity(k[0]), ID: model.ID(k[1:])}
			if q.Entity != 0 && key.Entity != q.Entity {
				if key.Entity > q.Entity {
					return nil
				}
				continue
			}
			if len(v) < 9 || (!q.Dead && v[0] != 1) {
				continue
			}
			if !q.ModifiedSince.IsZero() && int64(binary.BigEndian.Uint64(v[1:9])) < q.ModifiedSince.UnixNano() {
				continue
			}
			row, err := decodeRow(key, v)
			if err != nil {
				return err
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

// Record returns one record row.
func (s *Store) Record(_ context.Context, teamName string, k server.RecordKey) (server.RecordRow, error) {
	var row server.RecordRow
	err := s.db.View(func(tx *bolt.Tx) error {
		t, err := team(tx, teamName, false)
		if err != nil {
			return err
		}
		if t == nil {
			return server.ErrNotFound
		}
		v := t.recs.Get(recKey(k))
		if v == nil {
			return server.ErrNotFound
		}
		row, err = decodeRow(k, v)
		return err
	})
	return row, err
}

// BackupTo writes a consistent copy of the file to path while the server
// runs, gives the copy a fresh epoch, and returns its size.
func (s *Store) BackupTo(_ context.Context, path string) (int64, error) {
	tmp := path + ".tmp"
	err := s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("back up to %s: %w", path, err)
	}
	if err := freshEpoch(tmp); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// freshEpoch gives the data file at path a new epoch and syncs it.
func freshEpoch(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bMeta) == nil || tx.Bucket(bMeta).Get(mSchema) == nil {
			return fmt.Errorf("%s is not a rolo server data file", path)
		}
		return setEpoch(tx)
	}); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// Restore replaces the data file in dir with the backup at src (the
// server must not be running), after checking the backup, and gives it a
// fresh epoch so clients push what the backup lacks.
func Restore(dir, src string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dst := filepath.Join(dir, FileName)
	tmp := dst + ".restore"
	in, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	if err := os.WriteFile(tmp, in, 0o600); err != nil {
		return err
	}
	if err := checkFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", src, err)
	}
	if err := freshEpoch(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if f, err := os.Open(dst); err == nil {
		f.Close()
		lock, err := bolt.Open(dst, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("%s is in use (stop rolo serve first): %w", dst, err)
		}
		lock.Close()
	}
	return os.Rename(tmp, dst)
}

func checkFile(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		if tx.Bucket(bMeta) == nil || tx.Bucket(bMeta).Get(mSchema) == nil {
			return errors.New("not a rolo server data file")
		}
		return nil
	})
}
