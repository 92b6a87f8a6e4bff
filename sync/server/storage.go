package server

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// Storage is where a team server keeps its data: tokens, each team's op
// log and the current state of each team's records. Two implementations
// exist (bbolt and PostgreSQL); storagetest holds the conformance suite
// both pass. Every method is safe for concurrent use.
type Storage interface {
	// Epoch returns the data store's epoch, made when it was created and
	// changed whenever its data may have gone back in time (a restore).
	Epoch(ctx context.Context) (string, error)
	// NewEpoch gives the data store a fresh epoch and returns it.
	NewEpoch(ctx context.Context) (string, error)

	// CreateToken stores a token (only its hash).
	CreateToken(ctx context.Context, t Token) error
	// Token returns the token with the given id, or ErrNotFound.
	Token(ctx context.Context, id string) (Token, error)
	// RevokeToken marks a token revoked at the given time; ErrNotFound
	// when there is none.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// Tokens lists the tokens of a team ("" for every team), oldest first.
	Tokens(ctx context.Context, team string) ([]Token, error)

	// Push stores ops in a team's log in one transaction: an op stored
	// already (the same record, replica and clock) is a duplicate; each new one
	// gets the team's next sequence number, in order, assigned inside the
	// transaction. merge is called in the same transaction with the new
	// ops and the current rows of the records they touch (missing rows are
	// absent from the map); the rows it leaves in the map are stored.
	Push(ctx context.Context, team string, ops []OpRecord, merge MergeFunc) (PushResult, error)
	// Changes returns a team's ops after sequence number after, in order:
	// at most limit of them, reading at most scan entries, leaving out the
	// ops of replica exclude (unless it is zero).
	Changes(ctx context.Context, team string, after uint64, limit, scan int, exclude store.Replica) (ChangesPage, error)
	// LastSeq returns the team's latest sequence number.
	LastSeq(ctx context.Context, team string) (uint64, error)
	// Ops returns the stored JSON of a team's ops by sequence number.
	Ops(ctx context.Context, team string, seqs []uint64) (map[uint64][]byte, error)
	// Records returns a team's record rows in key order.
	Records(ctx context.Context, team string, q RecordQuery) ([]RecordRow, error)
	// Record returns one record row of a team, or ErrNotFound.
	Record(ctx context.Context, team string, k RecordKey) (RecordRow, error)

	// Close releases the storage.
	Close() error
}

// Backuper is a Storage that can write a consistent copy of itself while
// it is in use; the copy gets a fresh epoch.
type Backuper interface {
	BackupTo(ctx context.Context, path string) (int64, error)
}

// ErrNotFound is returned for a token or record that does not exist.
var ErrNotFound = errors.New("not found")

// Token is a bearer token's stored form.
type Token struct {
	ID        string
	Team      string
	User      string
	Admin     bool
	Hash      []byte // SHA-256 of the token text
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// OpRecord is an op as storage keeps it.
type OpRecord struct {
	Replica store.Replica
	HLC     store.HLC
	Entity  model.Entity
	ID      model.ID
	// Body is the op's JSON as the change feed sends it.
	Body []byte
	// Op is the decoded op, when the caller has it; storage passes it to
	// the MergeFunc and does not store it.
	Op *protocol.Op
}

// StoredOp is an op with its place in the team's log.
type StoredOp struct {
	Seq uint64
	OpRecord
}

// OpStatus says what Push did with one op.
type OpStatus int

// Op statuses.
const (
	OpStored    OpStatus = iota // new: stored with a sequence number
	OpDuplicate                 // stored before (the same op)
)

// PushResult tells, for each op of a Push in order, what happened, and
// the team's sequence number after it.
type PushResult struct {
	Status  []OpStatus
	LastSeq uint64
}

// MergeFunc folds new ops into the rows of their records.
type MergeFunc func(ops []StoredOp, rows map[RecordKey]*RecordRow) error

// RecordKey names a record of a team.
type RecordKey struct {
	Entity model.Entity
	ID     model.ID
}

// Less orders keys: by entity, then id.
func (k RecordKey) Less(o RecordKey) bool { return k.Compare(o) < 0 }

// Compare orders keys as Less does, for slices.SortFunc.
func (k RecordKey) Compare(o RecordKey) int {
	if c := cmp.Compare(k.Entity, o.Entity); c != 0 {
		return c
	}
	return bytes.Compare(k.ID[:], o.ID[:])
}

// RecordRow is the stored state of one record.
type RecordRow struct {
	Key      RecordKey
	Alive    bool
	Modified time.Time // when the server last changed the row
	State    []byte    // encoded recordState
}

// RecordQuery selects record rows.
type RecordQuery struct {
	Entity model.Entity // 0: every entity
	After  RecordKey    // start after this key (zero: at the start)
	Limit  int
	// ModifiedSince keeps rows changed at or after it (zero: any).
	ModifiedSince time.Time
	// Dead includes deleted records.
	Dead bool
}

// ChangesPage is a slice of a team's log.
type ChangesPage struct {
	Ops  []StoredOp
	Next uint64 // the last sequence number read
	More bool   // whether the log goes on after Next
}
