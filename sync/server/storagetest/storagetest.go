// Package storagetest is the conformance suite every server.Storage
// passes: the bbolt and PostgreSQL backends run the same tests.
package storagetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/server"
)

// Backend opens storages for the suite.
type Backend struct {
	// Open returns a new, empty storage; the test closes it.
	Open func(t *testing.T) server.Storage
	// Reopen, when set, returns another handle on the storage Open last
	// returned, as a second server process would have (PostgreSQL).
	Reopen func(t *testing.T) server.Storage
}

// Run runs the suite.
func Run(t *testing.T, b Backend) {
	tests := []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"Epoch", testEpoch},
		{"Tokens", testTokens},
		{"PushAssignsSequence", testPushSequence},
		{"PushDuplicates", testPushDuplicates},
		{"PushDuplicatesAmongMany", testPushDuplicatesAmongMany},
		{"PushMerge", testPushMerge},
		{"MergeErrorRollsBack", testMergeError},
		{"Changes", testChanges},
		{"ChangesExclude", testChangesExclude},
		{"Ops", testOps},
		{"Records", testRecords},
		{"TeamsIsolated", testTeams},
		{"ConcurrentPushes", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, b) })
	}
}

func open(t *testing.T, b Backend) server.Storage {
	t.Helper()
	s := b.Open(t)
	t.Cleanup(func() { s.Close() })
	return s
}

var ctx = context.Background()

func replica(n byte) store.Replica {
	var r store.Replica
	r[0], r[15] = n, n
	return r
}

func id(n int) model.ID {
	var i model.ID
	binary.BigEndian.PutUint32(i[12:], uint32(n))
	i[0] = 1
	return i
}

// op makes an op of replica r at clock h on contact n.
func op(r byte, h uint64, n int) server.OpRecord {
	return server.OpRecord{
		Replica: replica(r), HLC: store.HLC(h), Entity: model.EntityContact, ID: id(n),
		Body: fmt.Appendf(nil, `{"r":%d,"h":%d,"n":%d}`, r, h, n),
	}
}

// countMerge records in each row's state the sequence numbers of the ops
// folded into it, and marks a row dead when an op's body says so.
func countMerge(now time.Time) server.MergeFunc {
	return func(ops []server.StoredOp, rows map[server.RecordKey]*server.RecordRow) error {
		for _, o := range ops {
			k := server.RecordKey{Entity: o.Entity, ID: o.ID}
			row := rows[k]
			if row == nil {
				row = &server.RecordRow{Key: k}
				rows[k] = row
			}
			row.State = binary.AppendUvarint(row.State, o.Seq)
			row.Alive = !bytes.Contains(o.Body, []byte("dead"))
			row.Modified = now
		}
		return nil
	}
}

func seqsOf(state []byte) []uint64 {
	var out []uint64
	for len(state) > 0 {
		v, n := binary.Uvarint(state)
		if n <= 0 {
			return append(out, 0)
		}
		out = append(out, v)
		state = state[n:]
	}
	return out
}

func push(t *testing.T, s server.Storage, team string, ops ...server.OpRecord) server.PushResult {
	t.Helper()
	res, err := s.Push(ctx, team, ops, countMerge(time.Unix(1000, 0)))
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(res.Status) != len(ops) {
		t.Fatalf("push: %d statuses for %d ops", len(res.Status), len(ops))
	}
	return res
}

func testEpoch(t *testing.T, b Backend) {
	s := open(t, b)
	e1, err := s.Epoch(ctx)
	if err != nil || len(e1) != 16 {
		t.Fatalf("epoch %q, %v: want 16 hex digits", e1, err)
	}
	if again, _ := s.Epoch(ctx); again != e1 {
		t.Fatalf("epoch changed by itself: %s then %s", e1, again)
	}
	e2, err := s.NewEpoch(ctx)
	if err != nil || e2 == e1 || len(e2) != 16 {
		t.Fatalf("NewEpoch = %q, %v; was %q", e2, err, e1)
	}
	if got, _ := s.Epoch(ctx); got != e2 {
		t.Fatalf("Epoch after NewEpoch = %s, want %s", got, e2)
	}
}

func testTokens(t *testing.T, b Backend) {
	s := open(t, b)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	text, tok, err := server.NewToken("acme", "li", true, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	_, other, _ := server.NewToken("globex", "sam", false, at.Add(time.Hour))
	if err := s.CreateToken(ctx, other); err != nil {
		t.Fatal(err)
	}
	got, err := s.Token(ctx, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Team != "acme" || got.User != "li" || !got.Admin || !bytes.Equal(got.Hash, tok.Hash) || !got.CreatedAt.Equal(at) || !got.RevokedAt.IsZero() {
		t.Fatalf("token read back as %+v, want %+v", got, tok)
	}
	if bytes.Contains(got.Hash, []byte(text)) {
		t.Fatal("the token's text is stored")
	}
	if _, err := s.Token(ctx, "0000000000000000"); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("missing token: %v, want ErrNotFound", err)
	}
	revoked := at.Add(2 * time.Hour)
	if err := s.RevokeToken(ctx, tok.ID, revoked); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, tok.ID, revoked.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Token(ctx, tok.ID); !got.RevokedAt.Equal(revoked) {
		t.Fatalf("revoked at %v, want the first revocation %v", got.RevokedAt, revoked)
	}
	if err := s.RevokeToken(ctx, "0000000000000000", revoked); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("revoke a missing token: %v, want ErrNotFound", err)
	}
	all, err := s.Tokens(ctx, "")
	if err != nil || len(all) != 2 || all[0].ID != tok.ID || all[1].ID != other.ID {
		t.Fatalf("Tokens(all) = %v, %v", all, err)
	}
	team, err := s.Tokens(ctx, "globex")
	if err != nil || len(team) != 1 || team[0].ID != other.ID {
		t.Fatalf("Tokens(globex) = %v, %v", team, err)
	}
}

func testPushSequence(t *testing.T, b Backend) {
	s := open(t, b)
	if n, err := s.LastSeq(ctx, "acme"); n != 0 || err != nil {
		t.Fatalf("LastSeq of a new team = %d, %v", n, err)
	}
	res := push(t, s, "acme", op(1, 10, 1), op(1, 11, 2), op(2, 5, 1))
	if res.LastSeq != 3 || !slices.Equal(res.Status, []server.OpStatus{server.OpStored, server.OpStored, server.OpStored}) {
		t.Fatalf("push = %+v", res)
	}
	res = push(t, s, "acme", op(3, 1, 3))
	if res.LastSeq != 4 {
		t.Fatalf("second push ends at %d, want 4", res.LastSeq)
	}
	if n, _ := s.LastSeq(ctx, "acme"); n != 4 {
		t.Fatalf("LastSeq = %d, want 4", n)
	}
	page, err := s.Changes(ctx, "acme", 0, 100, 100, store.Replica{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, o := range page.Ops {
		if o.Seq != uint64(i+1) {
			t.Errorf("op %d has seq %d", i, o.Seq)
		}
		got = append(got, string(o.Body))
	}
	want := []string{`{"r":1,"h":10,"n":1}`, `{"r":1,"h":11,"n":2}`, `{"r":2,"h":5,"n":1}`, `{"r":3,"h":1,"n":3}`}
	if !slices.Equal(got, want) || page.More || page.Next != 4 {
		t.Fatalf("changes = %v (more %v, next %d), want %v", got, page.More, page.Next, want)
	}
}

func testPushDuplicates(t *testing.T, b Backend) {
	s := open(t, b)
	push(t, s, "acme", op(1, 10, 1))
	res := push(t, s, "acme", op(1, 10, 1), op(1, 11, 1), op(1, 11, 1), op(1, 10, 2))
	want := []server.OpStatus{server.OpDuplicate, server.OpStored, server.OpDuplicate, server.OpStored}
	if !slices.Equal(res.Status, want) || res.LastSeq != 3 {
		t.Fatalf("push = %+v, want statuses %v and seq 3", res, want)
	}
	res = push(t, s, "acme", op(1, 10, 1))
	if res.Status[0] != server.OpDuplicate || res.LastSeq != 3 {
		t.Fatalf("replayed push = %+v", res)
	}
	if page, _ := s.Changes(ctx, "acme", 0, 100, 100, store.Replica{}); len(page.Ops) != 3 {
		t.Fatalf("%d ops stored, want 3", len(page.Ops))
	}
}

// testPushDuplicatesAmongMany pushes ops, out of order, whose records
// are in turn stored already, new, and stored with other ops: each is
// told apart from the stored ones, and its row found.
func testPushDuplicatesAmongMany(t *testing.T, b Backend) {
	s := open(t, b)
	var first []server.OpRecord
	for n := 0; n < 60; n += 3 {
		first = append(first, op(1, 10, n))
	}
	push(t, s, "acme", first...)
	var again []server.OpRecord
	var want []server.OpStatus
	for n := 59; n >= 0; n-- {
		again = append(again, op(1, 10, n))
		want = append(want, map[bool]server.OpStatus{true: server.OpDuplicate, false: server.OpStored}[n%3 == 0])
		again = append(again, op(2, 20, n))
		want = append(want, server.OpStored)
	}
	res := push(t, s, "acme", again...)
	if !slices.Equal(res.Status, want) || res.LastSeq != 20+100 {
		t.Fatalf("push = %+v, want statuses %v and seq 120", res, want)
	}
	for n := range 60 {
		row, err := s.Record(ctx, "acme", server.RecordKey{Entity: model.EntityContact, ID: id(n)})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(seqsOf(row.State)); got != 2 {
			t.Errorf("contact %d: %d ops folded into its row, want 2", n, got)
		}
	}
}

func testPushMerge(t *testing.T, b Backend) {
	s := open(t, b)
	var calls [][]uint64
	var sawRows []int
	merge := func(ops []server.StoredOp, rows map[server.RecordKey]*server.RecordRow) error {
		var seqs []uint64
		for _, o := range ops {
			seqs = append(seqs, o.Seq)
		}
		calls = append(calls, seqs)
		sawRows = append(sawRows, len(rows))
		return countMerge(time.Unix(2000, 0))(ops, rows)
	}
	if _, err := s.Push(ctx, "acme", []server.OpRecord{op(1, 1, 1), op(1, 2, 2)}, merge); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Push(ctx, "acme", []server.OpRecord{op(1, 1, 1), op(1, 3, 1), op(1, 4, 3)}, merge); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Push(ctx, "acme", []server.OpRecord{op(1, 4, 3)}, merge); err != nil {
		t.Fatal(err)
	}
	// The merge sees the new ops only, with the rows stored for them.
	if len(calls) < 2 || !slices.Equal(calls[0], []uint64{1, 2}) || !slices.Equal(calls[1], []uint64{3, 4}) || sawRows[0] != 0 || sawRows[1] != 1 {
		t.Fatalf("merge calls %v with %v rows", calls, sawRows)
	}
	for _, c := range calls[2:] {
		if len(c) > 0 {
			t.Fatalf("a push of duplicates merged %v", c)
		}
	}
	row, err := s.Record(ctx, "acme", server.RecordKey{Entity: model.EntityContact, ID: id(1)})
	if err != nil {
		t.Fatal(err)
	}
	if got := seqsOf(row.State); !slices.Equal(got, []uint64{1, 3}) || !row.Alive || !row.Modified.Equal(time.Unix(2000, 0)) {
		t.Fatalf("row = %+v (seqs %v)", row, got)
	}
	if _, err := s.Record(ctx, "acme", server.RecordKey{Entity: model.EntityContact, ID: id(99)}); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("missing record: %v", err)
	}
}

func testMergeError(t *testing.T, b Backend) {
	s := open(t, b)
	push(t, s, "acme", op(1, 1, 1))
	boom := errors.New("boom")
	_, err := s.Push(ctx, "acme", []server.OpRecord{op(1, 2, 1)}, func([]server.StoredOp, map[server.RecordKey]*server.RecordRow) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("push with a failing merge: %v", err)
	}
	if n, _ := s.LastSeq(ctx, "acme"); n != 1 {
		t.Fatalf("a failed push moved the sequence to %d", n)
	}
	res := push(t, s, "acme", op(1, 2, 1))
	if res.Status[0] != server.OpStored || res.LastSeq != 2 {
		t.Fatalf("the op of the failed push: %+v", res)
	}
}

func testChanges(t *testing.T, b Backend) {
	s := open(t, b)
	var ops []server.OpRecord
	for i := 1; i <= 25; i++ {
		ops = append(ops, op(1, uint64(i), i))
	}
	push(t, s, "acme", ops...)
	var got []uint64
	after := uint64(0)
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, err := s.Changes(ctx, "acme", after, 10, 80, store.Replica{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Ops {
			got = append(got, o.Seq)
		}
		after = page.Next
		if !page.More {
			break
		}
	}
	if len(got) != 25 || got[0] != 1 || got[24] != 25 || after != 25 {
		t.Fatalf("paged changes %v, ending at %d", got, after)
	}
	for _, tc := range []struct {
		after        uint64
		limit, scan  int
		n            int
		next         uint64
		more         bool
		firstSeqWant uint64
	}{
		{25, 10, 80, 0, 25, false, 0},
		{24, 1, 8, 1, 25, false, 25},
		{20, 5, 40, 5, 25, false, 21},
		{20, 4, 40, 4, 24, true, 21},
		{0, 10, 3, 3, 3, true, 1},
		{99, 10, 80, 0, 99, false, 0},
	} {
		page, err := s.Changes(ctx, "acme", tc.after, tc.limit, tc.scan, store.Replica{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Ops) != tc.n || page.Next != tc.next || page.More != tc.more || tc.n > 0 && page.Ops[0].Seq != tc.firstSeqWant {
			t.Errorf("Changes(after %d, limit %d, scan %d) = %d ops, next %d, more %v; want %d, %d, %v",
				tc.after, tc.limit, tc.scan, len(page.Ops), page.Next, page.More, tc.n, tc.next, tc.more)
		}
	}
}

func testChangesExclude(t *testing.T, b Backend) {
	s := open(t, b)
	var ops []server.OpRecord
	for i := 1; i <= 20; i++ {
		r := byte(1)
		if i%5 == 0 {
			r = 2
		}
		ops = append(ops, op(r, uint64(i), i))
	}
	push(t, s, "acme", ops...)
	page, err := s.Changes(ctx, "acme", 0, 100, 100, replica(1))
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for _, o := range page.Ops {
		seqs = append(seqs, o.Seq)
		if o.Replica != replica(2) {
			t.Errorf("op %d of replica %s was not left out", o.Seq, o.Replica)
		}
	}
	if !slices.Equal(seqs, []uint64{5, 10, 15, 20}) || page.Next != 20 || page.More {
		t.Fatalf("changes without replica 1: %v, next %d, more %v", seqs, page.Next, page.More)
	}
	// The scan bound moves the cursor past left-out ops even when it
	// returns none.
	page, err = s.Changes(ctx, "acme", 0, 100, 3, replica(1))
	if err != nil || len(page.Ops) != 0 || page.Next != 3 || !page.More {
		t.Fatalf("scan-bounded changes: %d ops, next %d, more %v, %v", len(page.Ops), page.Next, page.More, err)
	}
}

func testOps(t *testing.T, b Backend) {
	s := open(t, b)
	push(t, s, "acme", op(1, 1, 1), op(1, 2, 2), op(1, 3, 3))
	got, err := s.Ops(ctx, "acme", []uint64{3, 1, 42})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got[1]) != `{"r":1,"h":1,"n":1}` || string(got[3]) != `{"r":1,"h":3,"n":3}` {
		t.Fatalf("Ops = %s", fmt.Sprint(got))
	}
	if got, err := s.Ops(ctx, "nobody", []uint64{1}); err != nil || len(got) != 0 {
		t.Fatalf("Ops of an unknown team = %v, %v", got, err)
	}
}

func testRecords(t *testing.T, b Backend) {
	s := open(t, b)
	mk := func(e model.Entity, n int, h uint64, body string) server.OpRecord {
		o := op(1, h, n)
		o.Entity = e
		o.Body = []byte(body)
		return o
	}
	merge := func(at int64) server.MergeFunc { return countMerge(time.Unix(at, 0)) }
	if _, err := s.Push(ctx, "acme", []server.OpRecord{
		mk(model.EntityContact, 3, 1, `{}`), mk(model.EntityContact, 1, 2, `{}`), mk(model.EntityDeal, 2, 3, `{}`),
		mk(model.EntityContact, 2, 4, `{"dead":1}`), mk(model.EntityCompany, 1, 5, `{}`),
	}, merge(100)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Push(ctx, "acme", []server.OpRecord{mk(model.EntityContact, 3, 6, `{}`)}, merge(200)); err != nil {
		t.Fatal(err)
	}
	keys := func(rows []server.RecordRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, fmt.Sprintf("%s/%d", r.Key.Entity, binary.BigEndian.Uint32(r.Key.ID[12:])))
		}
		return out
	}
	contact := func(n int) server.RecordKey { return server.RecordKey{Entity: model.EntityContact, ID: id(n)} }
	for _, tc := range []struct {
		name string
		q    server.RecordQuery
		want []string
	}{
		{"all alive", server.RecordQuery{Limit: 10}, []string{"contact/1", "contact/3", "company/1", "deal/2"}},
		{"with dead", server.RecordQuery{Limit: 10, Dead: true}, []string{"contact/1", "contact/2", "contact/3", "company/1", "deal/2"}},
		{"contacts", server.RecordQuery{Entity: model.EntityContact, Limit: 10}, []string{"contact/1", "contact/3"}},
		{"deals", server.RecordQuery{Entity: model.EntityDeal, Limit: 10}, []string{"deal/2"}},
		{"limit", server.RecordQuery{Limit: 2, Dead: true}, []string{"contact/1", "contact/2"}},
		{"after", server.RecordQuery{After: contact(2), Limit: 2, Dead: true}, []string{"contact/3", "company/1"}},
		{"after in entity", server.RecordQuery{Entity: model.EntityContact, After: contact(1), Limit: 10}, []string{"contact/3"}},
		{"modified since", server.RecordQuery{ModifiedSince: time.Unix(150, 0), Limit: 10, Dead: true}, []string{"contact/3"}},
		{"modified since, inclusive", server.RecordQuery{ModifiedSince: time.Unix(100, 0), Limit: 10, Dead: true}, []string{"contact/1", "contact/2", "contact/3", "company/1", "deal/2"}},
	} {
		rows, err := s.Records(ctx, "acme", tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(rows); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	row, err := s.Record(ctx, "acme", contact(3))
	if err != nil || !slices.Equal(seqsOf(row.State), []uint64{1, 6}) || !row.Modified.Equal(time.Unix(200, 0)) {
		t.Fatalf("Record(contact 3) = %+v, %v", row, err)
	}
}

func testTeams(t *testing.T, b Backend) {
	s := open(t, b)
	push(t, s, "acme", op(1, 1, 1), op(1, 2, 2))
	res := push(t, s, "globex", op(1, 1, 1))
	if res.Status[0] != server.OpStored || res.LastSeq != 1 {
		t.Fatalf("the same op in another team: %+v", res)
	}
	page, err := s.Changes(ctx, "globex", 0, 100, 100, store.Replica{})
	if err != nil || len(page.Ops) != 1 {
		t.Fatalf("globex sees %d ops, %v", len(page.Ops), err)
	}
	if rows, _ := s.Records(ctx, "globex", server.RecordQuery{Limit: 10}); len(rows) != 1 {
		t.Fatalf("globex sees %d records", len(rows))
	}
	if _, err := s.Record(ctx, "globex", server.RecordKey{Entity: model.EntityContact, ID: id(2)}); !errors.Is(err, server.ErrNotFound) {
		t.Fatalf("globex reads acme's record: %v", err)
	}
	if got, _ := s.Ops(ctx, "globex", []uint64{2}); len(got) != 0 {
		t.Fatalf("globex reads an acme op: %v", got)
	}
}

func testConcurrent(t *testing.T, b Backend) {
	s := open(t, b)
	handles := []server.Storage{s}
	if b.Reopen != nil {
		s2 := b.Reopen(t)
		t.Cleanup(func() { s2.Close() })
		handles = append(handles, s2)
	}
	const writers, each = 8, 25
	var wg gosync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		h := handles[w%len(handles)]
		wg.Go(func() {
			for i := range each {
				// Every writer also replays an op of writer 0, which is
				// stored once.
				ops := []server.OpRecord{op(byte(w+1), uint64(i+1), w*100+i), op(1, uint64(i+1), i)}
				if _, err := h.Push(ctx, "acme", ops, countMerge(time.Unix(1, 0))); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	page, err := s.Changes(ctx, "acme", 0, 10000, 10000, store.Replica{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Ops) != writers*each || page.More {
		t.Fatalf("%d ops stored, want %d", len(page.Ops), writers*each)
	}
	seen := map[string]bool{}
	for i, o := range page.Ops {
		if o.Seq != uint64(i+1) {
			t.Fatalf("op %d has seq %d: the sequence has a gap or a repeat", i, o.Seq)
		}
		if seen[string(o.Body)] {
			t.Fatalf("op %s stored twice", o.Body)
		}
		seen[string(o.Body)] = true
	}
	if n, _ := s.LastSeq(ctx, "acme"); n != writers*each {
		t.Fatalf("LastSeq = %d", n)
	}
}
