// Package protocol defines what the rolo sync client and the team server
// say to each other: the op, the request and response bodies of the /v1
// API, the opaque cursor, and the checks every op read from the network
// must pass. docs/sync-protocol.md describes the same thing for people.
package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// MaxClockAhead is how far in the future an op's clock may be, compared
// with the receiver's clock, before the op is rejected.
const MaxClockAhead = 5 * time.Minute

// Op is one write to one record: the field groups it set, with their
// values, or the record's deletion. An op is identified by the replica
// that made it and its clock reading; pushing it again changes nothing.
type Op struct {
	OpID    string        `json:"op_id"`
	Replica store.Replica `json:"replica"`
	Entity  model.Entity  `json:"entity"`
	ID      model.ID      `json:"id"`
	HLC     store.HLC     `json:"hlc,string"`
	// Groups names the field groups the op sets; Value holds their fields
	// as one JSON object (the record's JSON keys of those groups).
	Groups  []string        `json:"groups,omitempty"`
	Value   json.RawMessage `json:"value,omitempty"`
	Deleted bool            `json:"deleted,omitempty"`
	// UpdatedAt is the record's updated_at as the writer saw it, sent when
	// this op is the record's latest write.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Base is the server sequence number the writer had pulled up to when
	// it made the write (0: unknown). It tells concurrent edits, which are
	// kept as conflicts, from edits made on top of another.
	Base uint64 `json:"base,omitempty"`

	// text is the JSON the op was read from, when DecodePush read it.
	text []byte
	// checked says DecodePush checked the op: verdict is what Check
	// returns, and mask the op's groups when it passed.
	checked bool
	verdict error
	mask    model.GroupMask
}

// JSON returns the op's JSON: the text DecodePush read it from (valid
// JSON, with exactly the members of the op), else what AppendJSON writes.
// A big push stores its ops as they came rather than encode them again.
func (o *Op) JSON() []byte {
	if o.text != nil {
		return o.text
	}
	return o.AppendJSON(nil)
}

// Stamp returns the op's stamp: its clock reading and replica.
func (o *Op) Stamp() store.Stamp { return store.Stamp{HLC: o.HLC, Replica: o.Replica} }

// OpID returns the id of the op made by replica at clock reading h.
func OpID(replica store.Replica, h store.HLC) string {
	return string(appendOpID(make([]byte, 0, opIDLen), replica, h))
}

// opIDLen is the length of an op id.
const opIDLen = 2*len(store.Replica{}) + 1 + 16

func appendOpID(b []byte, replica store.Replica, h store.HLC) []byte {
	b = hex.AppendEncode(b, replica[:])
	b = append(b, '-')
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(h))
	return hex.AppendEncode(b, n[:])
}

// isOpID reports whether id is OpID(replica, h), without making it.
func isOpID(id string, replica store.Replica, h store.HLC) bool {
	const digits = "0123456789abcdef"
	if len(id) != opIDLen || id[2*len(replica)] != '-' {
		return false
	}
	for i, c := range replica {
		if id[2*i] != digits[c>>4] || id[2*i+1] != digits[c&15] {
			return false
		}
	}
	for i := range 16 {
		if id[opIDLen-1-i] != digits[h>>(4*i)&15] {
			return false
		}
	}
	return true
}

// Mask returns the op's groups as a mask of its entity's groups.
func (o *Op) Mask() (model.GroupMask, error) {
	if o.checked && o.verdict == nil {
		return o.mask, nil
	}
	return o.groupMask()
}

func (o *Op) groupMask() (model.GroupMask, error) {
	var m model.GroupMask
	index := groupIndexes[o.Entity]
	for _, name := range o.Groups {
		i, ok := index[name]
		if !ok {
			return 0, fmt.Errorf("%s has no field group %q", o.Entity, name)
		}
		if m&(1<<i) != 0 {
			return 0, fmt.Errorf("field group %q is named twice", name)
		}
		m |= 1 << i
	}
	return m, nil
}

// groupIndexes is model.GroupIndex as a table: each entity's groups by
// name.
var groupIndexes = func() map[model.Entity]map[string]int {
	m := map[model.Entity]map[string]int{}
	for _, e := range model.Entities {
		m[e] = map[string]int{}
		for i, g := range model.Groups(e) {
			m[e][g.Name] = i
		}
	}
	return m
}()

// GroupNames lists the names of the groups in m, in the entity's order.
func GroupNames(e model.Entity, m model.GroupMask) []string { return m.Names(e) }

// Rejection reasons.
const (
	// ReasonClockAhead: the op's clock is more than MaxClockAhead ahead of
	// the server's. The op was not stored; the client keeps it.
	ReasonClockAhead = "clock_ahead"
	// ReasonInvalid: the op is malformed (unknown group, a value that is
	// not an object of the group's fields, a zero clock, a wrong op_id).
	ReasonInvalid = "invalid_op"
)

// Rejection says why the server did not store an op.
type Rejection struct {
	OpID    string `json:"op_id"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// ValidationError is a malformed op.
type ValidationError struct{ msg string }

func (e *ValidationError) Error() string { return e.msg }

func invalidOp(format string, args ...any) error {
	return &ValidationError{msg: fmt.Sprintf(format, args...)}
}

// Check validates an op read from the network: the record it names, its
// groups and value, and its id. It does not look at the clock; CheckClock
// does. An op DecodePush read was checked there: Check returns that
// verdict.
func (o *Op) Check() error {
	if o.checked {
		return o.verdict
	}
	_, err := o.check()
	return err
}

// check is Check without the verdict DecodePush kept; it also returns the
// op's groups.
func (o *Op) check() (model.GroupMask, error) {
	if o.Entity < model.EntityContact || o.Entity > model.EntityActivity {
		return 0, invalidOp("unknown entity %d", o.Entity)
	}
	if o.ID.IsZero() {
		return 0, invalidOp("op has no record id")
	}
	if o.HLC == 0 {
		return 0, invalidOp("op has no clock reading (hlc)")
	}
	if !isOpID(o.OpID, o.Replica, o.HLC) {
		return 0, invalidOp("op_id %q does not match the replica and hlc (want %q)", o.OpID, OpID(o.Replica, o.HLC))
	}
	if o.Deleted {
		if len(o.Groups) > 0 || len(o.Value) > 0 {
			return 0, invalidOp("a deletion carries no groups or value")
		}
		return 0, nil
	}
	if len(o.Groups) == 0 {
		return 0, invalidOp("op sets no field group")
	}
	mask, err := o.groupMask()
	if err != nil {
		return 0, invalidOp("%v", err)
	}
	return mask, checkValue(o.Entity, mask, o.Value)
}

// checkValue checks that v is a JSON object whose members are fields of
// the groups in mask, with values the record type reads. Whether v is
// valid JSON at all is for the caller to know: an error here may be of
// syntax (validValue tells).
func checkValue(e model.Entity, mask model.GroupMask, v json.RawMessage) error {
	if len(v) == 0 {
		return invalidOp("op has no value")
	}
	keys := keysOf(e)
	// The members the record's own decoder reads together, as an object.
	var whole []byte
	s := scanner{b: v}
	err := s.object(func(k []byte) error {
		ki, ok := keys.find(k)
		if !ok || mask&(1<<ki.group) == 0 {
			return invalidOp("value field %q is not in the op's groups", k)
		}
		if ki.check == nil {
			v0 := s.i
			if err := s.skipValue(1); err != nil {
				return err
			}
			if whole == nil {
				whole = append(make([]byte, 0, 64), '{')
			}
			whole = appendMember(whole, k, v[v0:s.i])
			return nil
		}
		if err := ki.check(&s); err != nil {
			return invalidOp("value field %q: %v", k, err)
		}
		return nil
	})
	if err == nil {
		err = s.end()
	}
	var bad *ValidationError
	switch {
	case errors.As(err, &bad):
		return err
	case err != nil:
		return invalidOp("value: %v", err)
	case whole != nil:
		// A field read with others (a deal's amount, in its currency's
		// digits): what the record's decoder makes of those members alone
		// is what it makes of them in the whole record.
		if err := json.Unmarshal(append(whole, '}'), NewRecord(e)); err != nil {
			return invalidOp("value: %v", err)
		}
	}
	return nil
}

// NewRecord returns a pointer to a zero record of entity e.
func NewRecord(e model.Entity) any {
	switch e {
	case model.EntityContact:
		return &model.Contact{}
	case model.EntityCompany:
		return &model.Company{}
	case model.EntityDeal:
		return &model.Deal{}
	case model.EntityTask:
		return &model.Task{}
	}
	return &model.Activity{}
}

// CheckClock rejects an op whose clock is more than MaxClockAhead ahead of
// now.
func (o *Op) CheckClock(now time.Time) error {
	if ahead := o.HLC.Time().Sub(now); ahead > MaxClockAhead {
		return &ClockError{Ahead: ahead}
	}
	return nil
}

// ClockError says an op's clock is too far ahead of the receiver's.
type ClockError struct{ Ahead time.Duration }

func (e *ClockError) Error() string {
	return fmt.Sprintf("the op's clock is %s ahead of the server's (at most %s is accepted)",
		e.Ahead.Round(time.Second), MaxClockAhead)
}

// PushRequest is the body of POST /v1/sync/push.
type PushRequest struct {
	Ops []Op `json:"ops"`
}

// PushResponse answers a push. Every op of the request is either
// accepted (stored now), a duplicate (stored before: pushing again is
// harmless), or rejected with a reason.
type PushResponse struct {
	Accepted   int         `json:"accepted"`
	Duplicates int         `json:"duplicates"`
	Rejected   []Rejection `json:"rejected"`
	// Seq is the team's sequence number after the push: every op of the
	// request that is stored has a number no greater.
	Seq uint64 `json:"seq"`
	// Epoch is the server's epoch the sequence number belongs to.
	Epoch string    `json:"epoch"`
	Time  time.Time `json:"time"`
}

// ChangesResponse answers GET /v1/sync/changes.
type ChangesResponse struct {
	Ops     []Op   `json:"ops"`
	Cursor  string `json:"cursor"`
	HasMore bool   `json:"has_more"`
}

// SnapshotResponse answers GET /v1/snapshot: one page of the ops that
// make up the team's current state. Cursor is set on the last page only
// (has_more false): pull changes from it.
type SnapshotResponse struct {
	Ops     []Op   `json:"ops"`
	Next    string `json:"next,omitempty"`
	Cursor  string `json:"cursor,omitempty"`
	HasMore bool   `json:"has_more"`
}

// Status answers GET /v1/status. Without a token only the first fields
// are set.
type Status struct {
	Status  string    `json:"status"`
	Version string    `json:"version"`
	Time    time.Time `json:"time"`
	Team    string    `json:"team,omitempty"`
	User    string    `json:"user,omitempty"`
	Admin   bool      `json:"admin,omitempty"`
	Epoch   string    `json:"epoch,omitempty"`
	Seq     uint64    `json:"seq,omitempty"`
	Cursor  string    `json:"cursor,omitempty"`
}

// Error codes of ErrorBody.
const (
	CodeBadRequest   = "bad_request"
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeNotFound     = "not_found"
	CodeMethod       = "method_not_allowed"
	CodeTooLarge     = "too_large"
	CodeRateLimited  = "rate_limited"
	CodeCursorReset  = "cursor_reset"
	CodeUnavailable  = "unavailable"
	CodeInternal     = "internal"
)

// ErrorBody is the body of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Cursor is a position in a team's change feed: the server's epoch and
// the last sequence number seen. On the wire it is opaque.
type Cursor struct {
	Epoch string
	Seq   uint64
}

// String encodes the cursor.
func (c Cursor) String() string {
	if c.Epoch == "" {
		return ""
	}
	return c.Epoch + "." + strconv.FormatUint(c.Seq, 10)
}

// ParseCursor reads a cursor String wrote; the empty string is the start
// of the feed.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	epoch, seq, ok := strings.Cut(s, ".")
	if !ok || !validEpoch(epoch) {
		return Cursor{}, fmt.Errorf("cursor %q is not one this server hands out", s)
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil || strconv.FormatUint(n, 10) != seq {
		return Cursor{}, fmt.Errorf("cursor %q is not one this server hands out", s)
	}
	return Cursor{Epoch: epoch, Seq: n}, nil
}

// validEpoch accepts the epochs servers make: 16 lower-case hex digits.
func validEpoch(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// DecodeStrict reads one JSON value from r into v, rejecting unknown
// fields and anything after the value.
func DecodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// DecodeStrictBytes is DecodeStrict on a byte slice.
func DecodeStrictBytes(b []byte, v any) error { return DecodeStrict(bytes.NewReader(b), v) }
