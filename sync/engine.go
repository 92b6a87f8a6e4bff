package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	gosync "sync"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// Defaults of Options.
const (
	DefaultPushBatch = 5000
	DefaultPullLimit = 10000
)

// Options configure one sync.
type Options struct {
	// Client talks to the server.
	Client *Client
	// PushBatch is how many change-log entries (or records, pushing the
	// whole state) go in one push; PullLimit how many ops one pull asks
	// for.
	PushBatch, PullLimit int
	// Progress, when set, is told how far each phase has come.
	Progress func(Progress)
	// Now is the local clock (time.Now when nil).
	Now func() time.Time
}

// Progress reports a phase's advance; Total is an estimate (0: unknown).
type Progress struct {
	Phase       string // "push" or "pull"
	Done, Total int
}

// Result says what a sync did.
type Result struct {
	Server string `json:"server"`
	// Pushed counts ops the server stored; Duplicates ops it had already.
	Pushed     int `json:"pushed"`
	Duplicates int `json:"duplicates"`
	// Pulled counts ops received; Applied those that changed something.
	Pulled  int `json:"pulled"`
	Applied int `json:"applied"`
	// Conflicts counts the conflicts this sync kept.
	Conflicts int `json:"conflicts"`
	// Repaired counts records fixed up after deletions from others.
	Repaired int `json:"repaired"`
	// Restamped counts records whose clock ran ahead and got a new stamp.
	Restamped int `json:"restamped,omitempty"`
	// FullPush says the whole local state was pushed (first sync, another
	// server, or a server restored from a backup).
	FullPush bool `json:"full_push,omitempty"`
	// Rejected lists ops the server refused for good.
	Rejected []protocol.Rejection `json:"rejected,omitempty"`
	Cursor   string               `json:"cursor"`
}

// ClockAheadError says this computer's clock is ahead of the server's by
// more than the server accepts: the local writes wait until it is set
// right.
type ClockAheadError struct {
	Ahead   time.Duration
	Pending int
}

func (e *ClockAheadError) Error() string {
	return fmt.Sprintf("this computer's clock is %s ahead of the server's; set the clock right and sync again (%d changes wait, none is lost)",
		e.Ahead.Round(time.Second), e.Pending)
}

// syncer runs one sync.
type syncer struct {
	st   *store.Store
	c    *Client
	opts Options

	mu   gosync.Mutex // guards res and skew against concurrent pushes
	res  Result
	skew time.Duration // server clock minus local clock
	// teamWasEmpty: the team's feed was empty when this sync began, so
	// pulling the feed from its start (leaving out our own ops) is cheaper
	// than a snapshot.
	teamWasEmpty bool
}

// Run pushes the local writes to the server and pulls everyone else's.
// A failure leaves the file consistent: every page applied and every
// batch pushed is recorded as it completes, so the next run resumes.
func Run(ctx context.Context, st *store.Store, opts Options) (Result, error) {
	if opts.Client == nil {
		return Result{}, errors.New("sync: no client")
	}
	if opts.PushBatch <= 0 {
		opts.PushBatch = DefaultPushBatch
	}
	if opts.PullLimit <= 0 {
		opts.PullLimit = DefaultPullLimit
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &syncer{st: st, c: opts.Client, opts: opts, res: Result{Server: opts.Client.Server()}}
	err := s.run(ctx)
	if errors.Is(err, ErrCursorReset) {
		// The server was restored while this sync ran: start again.
		if err = s.resetServer(); err == nil {
			err = s.run(ctx)
		}
	}
	return s.res, err
}

func (s *syncer) run(ctx context.Context) error {
	status, err := s.c.Status(ctx)
	if err != nil {
		return err
	}
	if status.Team == "" {
		return ErrUnauthorized
	}
	s.skew = status.Time.Sub(s.opts.Now())
	s.teamWasEmpty = status.Seq == 0
	if err := s.adopt(status); err != nil {
		return err
	}
	// A clock ahead of the server's holds back this replica's writes, not
	// everyone else's: pull anyway, and report it at the end.
	pushErr := s.pushAll(ctx)
	var ahead *ClockAheadError
	if pushErr != nil && !errors.As(pushErr, &ahead) {
		return pushErr
	}
	if err := s.pull(ctx); err != nil {
		return err
	}
	var repaired int
	if err := s.st.Update(func(tx *store.Tx) (err error) {
		repaired, err = tx.RepairLinks()
		return err
	}); err != nil {
		return err
	}
	s.res.Repaired += repaired
	if repaired > 0 && pushErr == nil {
		pushErr = s.push(ctx)
		if pushErr != nil && !errors.As(pushErr, &ahead) {
			return pushErr
		}
	}
	err = s.st.Update(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err != nil {
			return err
		}
		state.LastSync = s.opts.Now().UTC()
		s.res.Cursor = state.Cursor
		return tx.SetSyncState(state)
	})
	if err != nil {
		return err
	}
	return pushErr
}

// adopt compares the stored state with the server's: another server, or
// a new epoch (a restore), means pushing everything again.
func (s *syncer) adopt(status protocol.Status) error {
	return s.st.Update(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err != nil {
			return err
		}
		switch {
		case state.Server != s.c.Server():
			if err := tx.ForgetServer(); err != nil {
				return err
			}
			state = store.SyncState{Server: s.c.Server(), Epoch: status.Epoch, FullPush: true, PushedSeq: state.PushedSeq, MaxRemote: state.MaxRemote}
		case state.Epoch != status.Epoch:
			if err := tx.ForgetServer(); err != nil {
				return err
			}
			state.Epoch, state.Cursor, state.FullPush, state.FullPushFrom = status.Epoch, "", true, nil
		}
		return tx.SetSyncState(state)
	})
}

// resetServer forgets the server's feed after a cursor reset.
func (s *syncer) resetServer() error {
	return s.st.Update(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err != nil {
			return err
		}
		if err := tx.ForgetServer(); err != nil {
			return err
		}
		state.Epoch, state.Cursor, state.FullPush, state.FullPushFrom = "", "", true, nil
		return tx.SetSyncState(state)
	})
}

func (s *syncer) state() (store.SyncState, error) {
	var state store.SyncState
	err := s.st.View(func(tx *store.Tx) (err error) {
		state, err = tx.SyncState()
		return err
	})
	return state, err
}

// pushAll pushes the whole state when needed, then the pending writes.
func (s *syncer) pushAll(ctx context.Context) error {
	state, err := s.state()
	if err != nil {
		return err
	}
	if state.FullPush {
		s.res.FullPush = true
		if err := s.pushFull(ctx); err != nil {
			return err
		}
	}
	return s.push(ctx)
}

// batch is one push's worth of ops and what to record once it is stored.
type batch struct {
	ops  []protocol.Op
	last uint64 // change-log entry read up to (pending writes)
	next []byte // position after the batch (whole state)
	done bool   // nothing follows this batch
	err  error
}

// pushFull pushes every record, deletion and kept group, resuming where
// an interrupted full push stopped.
func (s *syncer) pushFull(ctx context.Context) error {
	var from []byte
	total := 0
	err := s.st.Update(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err != nil {
			return err
		}
		total = tx.CountContacts() + tx.CountCompanies() + tx.CountDeals() + tx.CountTasks() + tx.CountActivities()
		if from = state.FullPushFrom; from != nil {
			return nil // resuming
		}
		// Writes logged from here on may land behind the read position;
		// the change log pushes them afterwards.
		state.FullPushUpto = tx.LastSeq()
		return tx.SetSyncState(state)
	})
	if err != nil {
		return err
	}
	done := 0
	read := func() batch {
		var b batch
		var outs []store.OutOp
		b.err = s.st.View(func(tx *store.Tx) (err error) {
			outs, b.next, err = tx.FullState(from, s.opts.PushBatch)
			return err
		})
		from, b.done = b.next, b.next == nil
		if b.err == nil {
			b.ops, b.err = wireOps(outs)
		}
		return b
	}
	return s.pipeline(ctx, 2, read, func(b batch, marks []pushMark) error {
		done += len(b.ops)
		s.progress("push", min(done, total), total)
		return s.st.Update(func(tx *store.Tx) error {
			state, err := tx.SyncState()
			if err == nil {
				err = notePushed(tx, marks)
			}
			if err != nil {
				return err
			}
			state.FullPushFrom = b.next
			if b.next == nil {
				state.FullPush, state.PushedSeq = false, max(state.PushedSeq, state.FullPushUpto)
			}
			return tx.SetSyncState(state)
		})
	})
}

// push pushes the local writes logged since the last push.
func (s *syncer) push(ctx context.Context) error {
	state, err := s.state()
	if err != nil {
		return err
	}
	after := state.PushedSeq
	total := 0
	err = s.st.Update(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err == nil {
			total, err = tx.PendingCount(state.PushedSeq)
		}
		if err != nil || total > 0 || state.PushedSeq == tx.LastSeq() {
			return err
		}
		// Only others' writes since: nothing to push, and no reason to read
		// them again next time.
		state.PushedSeq = tx.LastSeq()
		return tx.SetSyncState(state)
	})
	if err != nil || total == 0 {
		return err
	}
	done, restamped := 0, false
	read := func() batch {
		var b batch
		var outs []store.OutOp
		b.err = s.st.View(func(tx *store.Tx) (err error) {
			outs, b.last, err = tx.PendingOps(after, s.opts.PushBatch)
			return err
		})
		b.done = b.last == after
		after = b.last
		if b.err == nil {
			b.ops, b.err = wireOps(outs)
		}
		return b
	}
	for {
		err := s.pipeline(ctx, 1, read, func(b batch, marks []pushMark) error {
			if b.done {
				return nil
			}
			done += len(b.ops)
			s.progress("push", min(done, total), total)
			return s.st.Update(func(tx *store.Tx) error {
				state, err := tx.SyncState()
				if err == nil {
					err = notePushed(tx, marks)
				}
				if err != nil {
					return err
				}
				state.PushedSeq = b.last
				if err := tx.PruneSyncMarks(b.last); err != nil {
					return err
				}
				return tx.SetSyncState(state)
			})
		})
		var ahead *ClockAheadError
		if !errors.As(err, &ahead) || restamped {
			return err
		}
		// The local clock ran ahead of the server's. If it has been set
		// right since, give the waiting writes fresh stamps and retry.
		if s.skew < -protocol.MaxClockAhead/2 {
			return err
		}
		if err := s.restamp(); err != nil {
			return err
		}
		restamped = true
		state, err := s.state()
		if err != nil {
			return err
		}
		after = state.PushedSeq
	}
}

// restamp gives the waiting writes that carry future clocks new stamps
// from the server's time.
func (s *syncer) restamp() error {
	serverNow := s.opts.Now().Add(s.skew)
	limit := store.MakeHLC(serverNow.Add(protocol.MaxClockAhead))
	return s.st.Update(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err != nil {
			return err
		}
		start := max(store.MakeHLC(serverNow), state.MaxRemote)
		n, err := tx.Restamp(state.PushedSeq, limit, start)
		s.res.Restamped += n
		return err
	})
}

// pipeline reads batches ahead of the network and pushes up to inflight
// of them at once (whole-state batches are independent of each other; the
// change log's go one at a time, in order). commit records each batch,
// with where the server stored it, once it and every batch before it are
// stored, so an interrupted push resumes after the last batch recorded.
func (s *syncer) pipeline(ctx context.Context, inflight int, read func() batch, commit func(batch, []pushMark) error) error {
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan batch, 1)
	type result struct {
		marks []pushMark
		err   error
	}
	type sent struct {
		b    batch
		done chan result
	}
	queue := make(chan sent, inflight)
	sem := make(chan struct{}, inflight)
	var senders gosync.WaitGroup
	defer func() {
		cancel()
		for range queue { // let the dispatcher and the reader stop
		}
		senders.Wait()
	}()
	go func() {
		defer close(batches)
		for {
			b := read()
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil || b.done {
				return
			}
		}
	}()
	go func() {
		defer func() {
			close(queue)
			for range batches {
			}
		}()
		for b := range batches {
			x := sent{b: b, done: make(chan result, 1)}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			switch {
			case b.err != nil:
				x.done <- result{err: b.err}
				<-sem
			case len(b.ops) == 0:
				x.done <- result{}
				<-sem
			default:
				senders.Go(func() {
					marks, err := s.send(ctx, b.ops)
					x.done <- result{marks, err}
					<-sem
				})
			}
			select {
			case queue <- x:
			case <-ctx.Done():
				return
			}
			if b.err != nil || b.done {
				return
			}
		}
	}()
	for x := range queue {
		r := <-x.done
		if r.err != nil {
			// What the server stored before the failure is noted all the same.
			if len(r.marks) > 0 {
				if err := s.st.Update(func(tx *store.Tx) error { return notePushed(tx, r.marks) }); err != nil {
					return err
				}
			}
			return r.err
		}
		if err := commit(x.b, r.marks); err != nil || x.b.done {
			return err
		}
	}
	return ctx.Err()
}

// maxPushBytes keeps a push's body well under the server's limit
// (server.DefaultMaxBody) even with long notes.
const maxPushBytes = 8 << 20

// pushMark says the server stored the local writes of one push request,
// those with clocks up to clock, at sequence numbers up to seq
// (store.Tx.NotePushed).
type pushMark struct {
	clock store.HLC
	seq   uint64
}

func notePushed(tx *store.Tx, marks []pushMark) error {
	for _, m := range marks {
		if err := tx.NotePushed(m.clock, m.seq); err != nil {
			return err
		}
	}
	return nil
}

// send pushes ops, in as many requests as their size needs, and returns
// where the server stored the local ones: the batch's commit records it,
// in the transaction that records the batch.
func (s *syncer) send(ctx context.Context, ops []protocol.Op) ([]pushMark, error) {
	var marks []pushMark
	for len(ops) > 0 {
		n, size := 0, 0
		for n < len(ops) && (n == 0 || size+len(ops[n].Value)+256 <= maxPushBytes) {
			size += len(ops[n].Value) + 256
			n++
		}
		m, err := s.sendOne(ctx, ops[:n])
		if err != nil {
			return marks, err
		}
		if m.clock != 0 {
			marks = append(marks, m)
		}
		ops = ops[n:]
	}
	return marks, nil
}

// sendOne pushes ops and returns where the server stored the local ones
// (a zero clock: there were none). Ops refused for a clock ahead make it
// fail (nothing after them is recorded as pushed); ops refused as
// malformed are reported and skipped.
func (s *syncer) sendOne(ctx context.Context, ops []protocol.Op) (pushMark, error) {
	resp, err := s.c.Push(ctx, ops)
	if err != nil {
		return pushMark{}, err
	}
	s.mu.Lock()
	s.res.Pushed += resp.Accepted
	s.res.Duplicates += resp.Duplicates
	var ahead bool
	for _, r := range resp.Rejected {
		if r.Reason == protocol.ReasonClockAhead {
			ahead = true
			continue
		}
		s.res.Rejected = append(s.res.Rejected, r)
	}
	var skew time.Duration
	if ahead {
		s.skew = resp.Time.Sub(s.opts.Now())
		skew = s.skew
	}
	s.mu.Unlock()
	if ahead {
		pending := 0
		_ = s.st.View(func(tx *store.Tx) error {
			state, err := tx.SyncState()
			if err == nil {
				pending, err = tx.PendingCount(state.PushedSeq)
			}
			return err
		})
		return pushMark{}, &ClockAheadError{Ahead: max(-skew, protocol.MaxClockAhead), Pending: pending}
	}
	m := pushMark{seq: resp.Seq}
	me := s.st.Replica()
	for i := range ops {
		if ops[i].Replica == me && ops[i].HLC > m.clock {
			m.clock = ops[i].HLC
		}
	}
	return m, nil
}

// pull pulls the feed from the stored cursor, a page a transaction; with
// no cursor it starts from the server's snapshot.
func (s *syncer) pull(ctx context.Context) error {
	state, err := s.state()
	if err != nil {
		return err
	}
	cursor := state.Cursor
	if cursor == "" && !s.teamWasEmpty {
		if cursor, err = s.pullSnapshot(ctx); err != nil {
			return err
		}
	}
	me := s.st.Replica()
	for {
		page, err := s.c.Changes(ctx, cursor, s.opts.PullLimit, me)
		if err != nil {
			return err
		}
		if err := s.apply(s.st.Bulk, page.Ops, page.Cursor); err != nil {
			return err
		}
		cursor = page.Cursor
		if !page.HasMore {
			return nil
		}
	}
}

// pullSnapshot applies the server's current state and returns the cursor
// to pull changes from.
func (s *syncer) pullSnapshot(ctx context.Context) (_ string, rerr error) {
	// The next page is fetched while this one is applied.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type fetched struct {
		page protocol.SnapshotResponse
		err  error
	}
	pages := make(chan fetched, 1)
	go func() {
		defer close(pages)
		after := ""
		for {
			page, err := s.c.Snapshot(ctx, after, s.opts.PullLimit, s.st.Replica())
			switch {
			case err != nil:
			case !page.HasMore && page.Cursor == "":
				err = fmt.Errorf("%w: the snapshot's last page has no cursor", errDecode)
			case page.HasMore && (page.Next == "" || page.Next == after):
				err = fmt.Errorf("%w: the snapshot does not advance", errDecode)
			}
			select {
			case pages <- fetched{page, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !page.HasMore {
				return
			}
			after = page.Next
		}
	}()
	// The snapshot's records are new: most of their index entries wait
	// for the end of the snapshot, to be written in key order.
	ld := s.st.Loader(0)
	defer func() {
		if err := ld.Close(); err != nil && rerr == nil {
			rerr = err
		}
	}()
	for f := range pages {
		if f.err != nil {
			return "", f.err
		}
		if err := s.apply(ld.Update, f.page.Ops, ""); err != nil {
			return "", err
		}
		if !f.page.HasMore {
			return f.page.Cursor, nil
		}
	}
	return "", ctx.Err()
}

// apply merges a page of ops in a transaction run by update (Store.Bulk
// or a Loader's Update) and, when cursor is set, saves it in the same
// transaction.
func (s *syncer) apply(update func(func(*store.Tx) error) error, ops []protocol.Op, cursor string) error {
	remote, err := s.remoteOps(ops)
	if err != nil {
		return err
	}
	var seq uint64
	if cursor != "" {
		c, err := protocol.ParseCursor(cursor)
		if err != nil {
			return fmt.Errorf("%w: %v", errDecode, err)
		}
		seq = c.Seq
	}
	me := s.st.Replica()
	for i := range ops {
		if ops[i].Replica != me {
			s.res.Pulled++
		}
	}
	// A page mostly creates records (a new member's first pull): their
	// index entries are written in key order at the end of the page
	// (store.Bulk) or of the snapshot (store.Loader).
	err = update(func(tx *store.Tx) error {
		stats, err := tx.ApplyRemote(remote, seq)
		if err != nil {
			return err
		}
		s.res.Applied += stats.Applied
		s.res.Conflicts += stats.Conflicts
		state, err := tx.SyncState()
		if err != nil {
			return err
		}
		for i := range remote {
			state.MaxRemote = max(state.MaxRemote, remote[i].Stamp.HLC)
		}
		if cursor != "" {
			state.Cursor = cursor
		}
		return tx.SetSyncState(state)
	})
	if err == nil && len(ops) > 0 {
		s.progress("pull", s.res.Pulled, 0)
	}
	return err
}

// remoteOps checks ops received from the server and converts them. An op
// from a clock far ahead of this one (beyond what the server accepts,
// allowing for the measured skew) stops the pull rather than drag this
// replica's clock along.
func (s *syncer) remoteOps(ops []protocol.Op) ([]store.RemoteOp, error) {
	bound := s.opts.Now().Add(max(s.skew, 0) + protocol.MaxClockAhead + time.Minute)
	out := make([]store.RemoteOp, len(ops))
	for i := range ops {
		op := &ops[i]
		if err := op.Check(); err != nil {
			return nil, fmt.Errorf("%w: op %s: %v", errDecode, op.OpID, err)
		}
		if op.HLC.Time().After(bound) {
			return nil, fmt.Errorf("the server sent op %s from %s, too far ahead of this computer's clock; sync refuses it", op.OpID, op.HLC.Time().Format(time.RFC3339))
		}
		mask, _ := op.Mask()
		out[i] = store.RemoteOp{
			Entity: op.Entity, ID: op.ID, Groups: mask, Value: op.Value, Stamp: op.Stamp(),
			Deleted: op.Deleted, UpdatedAt: op.UpdatedAt, Base: op.Base,
		}
	}
	return out, nil
}

func (s *syncer) progress(phase string, done, total int) {
	if s.opts.Progress != nil {
		s.opts.Progress(Progress{Phase: phase, Done: done, Total: total})
	}
}

// wireOps turns local ops into wire ops, encoding the records' values on
// every core.
func wireOps(outs []store.OutOp) ([]protocol.Op, error) {
	ops := make([]protocol.Op, len(outs))
	errs := make([]error, len(outs))
	work := func(lo, hi int) {
		var enc opEncoder
		for i := lo; i < hi; i++ {
			ops[i], errs[i] = enc.wireOp(&outs[i])
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if len(outs) < 256 || workers == 1 {
		work(0, len(outs))
	} else {
		var wg gosync.WaitGroup
		step := (len(outs) + workers - 1) / workers
		for lo := 0; lo < len(outs); lo += step {
			wg.Go(func() { work(lo, min(lo+step, len(outs))) })
		}
		wg.Wait()
	}
	return ops, errors.Join(errs...)
}

// opEncoder makes wire ops, reusing what it can from one op to the next:
// a record's JSON is written to one scratch buffer, the values go in
// shared blocks, and the ops with the same groups share their names.
type opEncoder struct {
	rec    []byte
	values []byte
	names  map[groupsOf][]string
}

type groupsOf struct {
	e    model.Entity
	mask model.GroupMask
}

// valueBlock is the size of the blocks the values are written in.
const valueBlock = 256 << 10

func (enc *opEncoder) wireOp(o *store.OutOp) (protocol.Op, error) {
	op := protocol.Op{
		OpID: protocol.OpID(o.Stamp.Replica, o.Stamp.HLC), Replica: o.Stamp.Replica, Entity: o.Entity, ID: o.ID,
		HLC: o.Stamp.HLC, Deleted: o.Deleted, UpdatedAt: o.UpdatedAt, Base: o.Base,
	}
	if o.Deleted {
		op.UpdatedAt = time.Time{}
		return op, nil
	}
	op.Groups = enc.groupNames(o.Entity, o.Groups)
	rec := o.Value
	if o.Record != nil {
		var err error
		if rec, err = enc.marshalRecord(o.Record); err != nil {
			return op, err
		}
	}
	// A value is at most the record's JSON and a null for each key.
	if need := len(rec) + 1024; cap(enc.values)-len(enc.values) < need {
		enc.values = make([]byte, 0, max(valueBlock, need))
	}
	start := len(enc.values)
	v, err := protocol.AppendGroupValue(enc.values, o.Entity, rec, o.Groups)
	if err != nil {
		return op, err
	}
	enc.values = v
	op.Value = v[start:len(v):len(v)]
	return op, nil
}

func (enc *opEncoder) groupNames(e model.Entity, mask model.GroupMask) []string {
	k := groupsOf{e, mask}
	names, ok := enc.names[k]
	if !ok {
		if enc.names == nil {
			enc.names = map[groupsOf][]string{}
		}
		names = protocol.GroupNames(e, mask)
		enc.names[k] = names
	}
	return names
}

// marshalRecord is json.Marshal for a record, into the encoder's scratch
// buffer. The model's records write that JSON themselves with AppendJSON,
// without the reflection and the second pass json.Marshal makes (it
// checks and compacts a MarshalJSON's output again). AppendGroupValue
// walks the result anyway.
func (enc *opEncoder) marshalRecord(rec any) ([]byte, error) {
	if a, ok := rec.(interface{ AppendJSON([]byte) ([]byte, error) }); ok {
		b, err := a.AppendJSON(enc.rec[:0])
		if err == nil {
			enc.rec = b
		}
		return b, err
	}
	return json.Marshal(rec)
}
