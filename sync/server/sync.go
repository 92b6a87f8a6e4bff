package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// Page sizes of the change feed and the snapshot.
const (
	DefaultLimit = 1000
	MaxLimit     = 10000
	// scanFactor bounds how many log entries a changes request reads per
	// op it may return, when it leaves out the caller's own ops.
	scanFactor = 8
)

// readBody decodes a JSON request body strictly, answering 413 or 400
// itself when it cannot.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	return s.bodyOK(w, protocol.DecodeStrict(http.MaxBytesReader(w, r.Body, s.opts.MaxBody), v))
}

// bodyOK answers 413 or 400 for an error reading a request body.
func (s *Server) bodyOK(w http.ResponseWriter, err error) bool {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, protocol.CodeTooLarge,
			fmt.Sprintf("the request body is larger than %d bytes; push fewer ops at a time", tooBig.Limit))
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, "malformed JSON body: "+err.Error())
		return false
	}
	return true
}

// bodyBuffers keeps the buffers push bodies were read into, for the next
// pushes: a big push is megabytes, which a new buffer must clear first.
var bodyBuffers gosync.Pool // of *[]byte

// push stores a batch of ops.
func (s *Server) push(w http.ResponseWriter, r *http.Request, t *Token) {
	buf, _ := bodyBuffers.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	// Nothing holds on to the body once the push is answered.
	defer bodyBuffers.Put(buf)
	body, err := readAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBody), r.ContentLength, s.opts.MaxBody, (*buf)[:0])
	*buf = body[:0]
	if !s.bodyOK(w, err) {
		return
	}
	req, err := protocol.DecodePush(body)
	if !s.bodyOK(w, err) {
		return
	}
	now := s.opts.Now()
	resp := protocol.PushResponse{Rejected: []protocol.Rejection{}, Time: now.UTC()}
	checked := checkOps(req.Ops, now)
	records := make([]OpRecord, 0, len(req.Ops))
	for i := range req.Ops {
		if c := checked[i]; c.rejection != nil {
			resp.Rejected = append(resp.Rejected, *c.rejection)
			continue
		}
		op := &req.Ops[i]
		records = append(records, OpRecord{Replica: op.Replica, HLC: op.HLC, Entity: op.Entity, ID: op.ID, Body: checked[i].body, Op: op})
	}
	res, err := s.st.Push(r.Context(), t.Team, records, merger(now))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	for _, st := range res.Status {
		if st == OpStored {
			resp.Accepted++
		} else {
			resp.Duplicates++
		}
	}
	if resp.Epoch, err = s.st.Epoch(r.Context()); err != nil {
		s.internalError(w, r, err)
		return
	}
	resp.Seq = res.LastSeq
	writeJSON(w, http.StatusOK, resp)
}

// readAll is io.ReadAll into b, grown to the body's announced size (up to
// limit) at once rather than by doubling: a big push is megabytes.
func readAll(r io.Reader, size, limit int64, b []byte) ([]byte, error) {
	if size > 0 && size <= limit {
		b = slices.Grow(b, int(size)+1) // +1: reaching EOF needs no growth
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = slices.Grow(b, max(4096, len(b)))
		}
	}
}

type checkedOp struct {
	body      []byte
	rejection *protocol.Rejection
}

// checkOps validates ops and hands over the JSON of the valid ones for
// storage (as they came: DecodePush checked it is valid JSON with just
// the op's members, and checked each op already).
func checkOps(ops []protocol.Op, now time.Time) []checkedOp {
	out := make([]checkedOp, len(ops))
	for i := range ops {
		op := &ops[i]
		if err := op.Check(); err != nil {
			out[i].rejection = &protocol.Rejection{OpID: op.OpID, Reason: protocol.ReasonInvalid, Message: err.Error()}
			continue
		}
		if err := op.CheckClock(now); err != nil {
			out[i].rejection = &protocol.Rejection{OpID: op.OpID, Reason: protocol.ReasonClockAhead, Message: err.Error()}
			continue
		}
		out[i].body = op.JSON()
	}
	return out
}

// changes returns a page of the team's change feed.
func (s *Server) changes(w http.ResponseWriter, r *http.Request, t *Token) {
	q := r.URL.Query()
	cur, err := protocol.ParseCursor(q.Get("since"))
	if err != nil {
		writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, err.Error())
		return
	}
	limit, ok := limitParam(w, q.Get("limit"))
	if !ok {
		return
	}
	var exclude store.Replica
	if x := q.Get("exclude"); x != "" {
		if exclude, err = store.ParseReplica(x); err != nil {
			writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, "exclude: "+err.Error())
			return
		}
	}
	epoch, ok := s.checkCursor(w, r, t, cur)
	if !ok {
		return
	}
	page, err := s.st.Changes(r.Context(), t.Team, cur.Seq, limit, limit*scanFactor, exclude)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"ops":[`)
	for i, op := range page.Ops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(op.Body)
	}
	fmt.Fprintf(&b, `],"cursor":%q,"has_more":%t}`+"\n", protocol.Cursor{Epoch: epoch, Seq: page.Next}, page.More)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b.Bytes())
}

// checkCursor answers 410 when a cursor belongs to another epoch or is
// ahead of the log: the server lost data the client has, and the client
// must push its whole state again. It returns the current epoch.
func (s *Server) checkCursor(w http.ResponseWriter, r *http.Request, t *Token, cur protocol.Cursor) (string, bool) {
	epoch, err := s.st.Epoch(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return "", false
	}
	if cur.Epoch == "" {
		return epoch, true
	}
	last, err := s.st.LastSeq(r.Context(), t.Team)
	if err != nil {
		s.internalError(w, r, err)
		return "", false
	}
	if cur.Epoch != epoch || cur.Seq > last {
		writeError(w, http.StatusGone, protocol.CodeCursorReset,
			"the server's data was restored or replaced since this cursor was handed out: push everything again and pull from the start")
		return "", false
	}
	return epoch, true
}

func limitParam(w http.ResponseWriter, s string) (int, bool) {
	if s == "" {
		return DefaultLimit, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, fmt.Sprintf("limit %q: want 1 to %d", s, MaxLimit))
		return 0, false
	}
	return n, true
}

// snapshotToken is the position in a snapshot: the log's end when the
// snapshot began, and the last record sent.
type snapshotToken struct {
	cur   protocol.Cursor
	after RecordKey
}

func (t snapshotToken) String() string {
	return fmt.Sprintf("%s.%d.%s", t.cur, t.after.Entity, t.after.ID)
}

func parseSnapshotToken(s string) (snapshotToken, error) {
	var t snapshotToken
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return t, fmt.Errorf("after %q is not a position this server hands out", s)
	}
	cur, err := protocol.ParseCursor(parts[0] + "." + parts[1])
	if err != nil {
		return t, err
	}
	e, err := strconv.Atoi(parts[2])
	if err != nil || e < int(model.EntityContact) || e > int(model.EntityActivity) {
		return t, fmt.Errorf("after %q is not a position this server hands out", s)
	}
	id, err := model.ParseID(parts[3])
	if err != nil {
		return t, fmt.Errorf("after %q is not a position this server hands out", s)
	}
	return snapshotToken{cur: cur, after: RecordKey{Entity: model.Entity(e), ID: id}}, nil
}

// snapshot returns a page of the ops that make up the team's current
// state: for each record its deletion, if any, and the op holding each
// group's value, restricted to the groups it still holds.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request, t *Token) {
	q := r.URL.Query()
	limit, ok := limitParam(w, q.Get("limit"))
	if !ok {
		return
	}
	var exclude store.Replica
	if x := q.Get("exclude"); x != "" {
		var err error
		if exclude, err = store.ParseReplica(x); err != nil {
			writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, "exclude: "+err.Error())
			return
		}
	}
	var pos snapshotToken
	if after := q.Get("after"); after != "" {
		var err error
		if pos, err = parseSnapshotToken(after); err != nil {
			writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, err.Error())
			return
		}
	}
	epoch, ok := s.checkCursor(w, r, t, pos.cur)
	if !ok {
		return
	}
	if pos.cur.Epoch == "" {
		last, err := s.st.LastSeq(r.Context(), t.Team)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		pos.cur = protocol.Cursor{Epoch: epoch, Seq: last}
	}
	rows, err := s.st.Records(r.Context(), t.Team, RecordQuery{After: pos.after, Limit: limit, Dead: true})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	ops, err := s.snapshotOps(r, t.Team, rows, exclude)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	// The response is protocol.SnapshotResponse, written op by op.
	b := make([]byte, 0, 64<<10)
	b = append(b, `{"ops":[`...)
	for i := range ops {
		if i > 0 {
			b = append(b, ',')
		}
		b = ops[i].AppendJSON(b)
	}
	b = append(b, ']')
	if len(rows) == limit {
		pos.after = rows[len(rows)-1].Key
		b = fmt.Appendf(b, `,"next":%q,"has_more":true}`, pos.String())
	} else {
		b = fmt.Appendf(b, `,"cursor":%q,"has_more":false}`, pos.cur.String())
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

func (s *Server) snapshotOps(r *http.Request, team string, rows []RecordRow, exclude store.Replica) ([]protocol.Op, error) {
	states := make([]recordState, len(rows))
	for i, row := range rows {
		st, err := decodeState(row.State)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", row.Key.Entity, row.Key.ID, err)
		}
		// What the caller wrote itself it has: leave it out.
		st.Entries = slices.DeleteFunc(st.Entries, func(e stateEntry) bool { return e.Stamp.Replica == exclude })
		if st.Tomb.Replica == exclude {
			st.Tomb = store.Stamp{}
		}
		states[i] = st
	}
	bodies, err := s.loadOps(r, team, states)
	if err != nil {
		return nil, err
	}
	ops := []protocol.Op{}
	for i, row := range rows {
		st := states[i]
		if !st.Tomb.IsZero() {
			ops = append(ops, protocol.Op{
				OpID: protocol.OpID(st.Tomb.Replica, st.Tomb.HLC), Replica: st.Tomb.Replica,
				Entity: row.Key.Entity, ID: row.Key.ID, HLC: st.Tomb.HLC, Deleted: true,
			})
		}
		entries := slices.Clone(st.Entries)
		slices.SortStableFunc(entries, func(a, b stateEntry) int { return int(b.Mask&1) - int(a.Mask&1) })
		latest := st.latest()
		for _, e := range entries {
			op, err := restrictOp(bodies[e.Seq], e.Mask)
			if err != nil {
				return nil, fmt.Errorf("%s %s: op %d: %w", row.Key.Entity, row.Key.ID, e.Seq, err)
			}
			if e.Seq != latest.Seq {
				op.UpdatedAt = time.Time{}
			}
			ops = append(ops, op)
		}
	}
	return ops, nil
}

// loadStates decodes rows' states and fetches the ops they point at.
func (s *Server) loadStates(r *http.Request, team string, rows []RecordRow) ([]recordState, map[uint64][]byte, error) {
	states := make([]recordState, len(rows))
	for i, row := range rows {
		st, err := decodeState(row.State)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", row.Key.Entity, row.Key.ID, err)
		}
		states[i] = st
	}
	bodies, err := s.loadOps(r, team, states)
	return states, bodies, err
}

// loadOps fetches the ops states point at.
func (s *Server) loadOps(r *http.Request, team string, states []recordState) (map[uint64][]byte, error) {
	var seqs []uint64
	for _, st := range states {
		for _, e := range st.Entries {
			seqs = append(seqs, e.Seq)
		}
	}
	bodies, err := s.st.Ops(r.Context(), team, seqs)
	if err != nil {
		return nil, err
	}
	for _, seq := range seqs {
		if bodies[seq] == nil {
			return nil, fmt.Errorf("op %d is missing from the log", seq)
		}
	}
	return bodies, nil
}

// restrictOp decodes a stored op and keeps only the groups in mask.
func restrictOp(body []byte, mask model.GroupMask) (protocol.Op, error) {
	op, err := protocol.DecodeStoredOp(body)
	if err != nil {
		return op, err
	}
	have, err := op.Mask()
	if err != nil {
		return op, err
	}
	if have == mask {
		return op, nil
	}
	op.Groups = protocol.GroupNames(op.Entity, mask)
	op.Value, err = protocol.GroupValue(op.Entity, op.Value, mask)
	return op, err
}
