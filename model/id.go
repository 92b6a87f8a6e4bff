package model

import (
	"crypto/rand"
	"io"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// ID identifies every record. IDs are ULIDs: sortable by creation time and
// unique without coordination, so records made offline on different
// replicas never collide.
type ID = ulid.ULID

var (
	idMu      sync.Mutex
	idEntropy io.Reader = ulid.Monotonic(rand.Reader, 0)
)

// NewID returns a fresh ID stamped with t. IDs made within one process are
// strictly increasing for the same millisecond.
func NewID(t time.Time) ID {
	idMu.Lock()
	defer idMu.Unlock()
	return ulid.MustNew(ulid.Timestamp(t), idEntropy)
}

// IDSource makes IDs from a caller-supplied entropy stream, for
// deterministic data such as the demo database.
type IDSource struct {
	entropy *ulid.MonotonicEntropy
}

// NewIDSource returns an IDSource reading entropy from r.
func NewIDSource(r io.Reader) *IDSource {
	return &IDSource{entropy: ulid.Monotonic(r, 0)}
}

// New returns the next ID stamped with t.
func (s *IDSource) New(t time.Time) ID {
	return ulid.MustNew(ulid.Timestamp(t), s.entropy)
}

// ParseID parses the 26-character text form of an ID.
func ParseID(s string) (ID, error) {
	return ulid.ParseStrict(s)
}

// LooksLikeID reports whether s has the shape of an ID, so a command
// argument can be taken as an ID rather than as a search.
func LooksLikeID(s string) bool {
	if len(s) != ulid.EncodedSize {
		return false
	}
	_, err := ulid.ParseStrict(s)
	return err == nil
}
