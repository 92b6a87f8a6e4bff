package sync_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
	"github.com/rolo-crm/rolo/sync/protocol"
	"github.com/rolo-crm/rolo/sync/server/boltstore"
)

// addContacts writes n contacts in one transaction.
func addContacts(t *testing.T, r *replica, n int) {
	t.Helper()
	r.update(t, func(tx *store.Tx) error {
		for i := range n {
			c := model.Contact{Name: fmt.Sprintf("%s contact %d", r.name, i), Title: strings.Repeat("x", i%50)}
			if err := tx.PutContact(&c); err != nil {
				return err
			}
		}
		return nil
	})
}

func pending(t *testing.T, r *replica) int {
	t.Helper()
	var n int
	r.st.View(func(tx *store.Tx) error {
		state, err := tx.SyncState()
		if err == nil {
			n, err = tx.PendingCount(state.PushedSeq)
		}
		return err
	})
	return n
}

// checkFeed fails unless the team's feed holds want ops, each once.
func checkFeed(t *testing.T, tm *team, want int) {
	t.Helper()
	feed := tm.feed(t)
	seen := map[string]bool{}
	for _, id := range feed {
		if seen[id] {
			t.Fatalf("op %s is twice in the feed", id)
		}
		seen[id] = true
	}
	if len(feed) != want {
		t.Fatalf("the feed holds %d ops, want %d", len(feed), want)
	}
}

// TestReplayedPush sends the same push body again: every op is a
// duplicate and the feed does not grow.
func TestReplayedPush(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		tm := newTeam(t, b, c)
		li := newReplica(t, "li", c.Now)
		addContacts(t, li, 30)
		var body []byte
		cl, err := rsync.NewClient(tm.url(), tm.token, rsync.ClientOptions{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodPost {
				body, _ = io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			return http.DefaultTransport.RoundTrip(r)
		})})
		if err != nil {
			t.Fatal(err)
		}
		li.sync(t, cl)
		for range 2 {
			var resp protocol.PushResponse
			tm.post(t, "/v1/sync/push", body, &resp)
			if resp.Accepted != 0 || resp.Duplicates != 30 || len(resp.Rejected) != 0 {
				t.Fatalf("replayed push: %+v", resp)
			}
		}
		checkFeed(t, tm, 30)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func (tm *team) post(t testing.TB, path string, body []byte, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, tm.url()+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tm.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s: %s %s", path, resp.Status, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
}

// cutProxy forwards connections on 127.0.0.1 to a server and cuts the
// next few after some bytes, in one direction.
type cutProxy struct {
	ln     net.Listener
	target string
	cuts   atomic.Int32 // connections still to cut
	after  int          // bytes let through before a cut
	up     bool         // cut what the client sends (else what it receives)
	wg     gosync.WaitGroup

	mu    gosync.Mutex
	conns []net.Conn
}

func newCutProxy(t *testing.T, target string, cuts, after int, up bool) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, after: after, up: up}
	p.cuts.Store(int32(cuts))
	p.wg.Go(p.serve)
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *cutProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *cutProxy) serve() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, in, out)
		p.mu.Unlock()
		cut := p.cuts.Add(-1) >= 0
		limit := func(up bool) int64 {
			if cut && up == p.up {
				return int64(p.after)
			}
			return 1 << 62
		}
		closeBoth := func() { in.Close(); out.Close() }
		p.wg.Go(func() {
			_, _ = io.CopyN(out, in, limit(true))
			closeBoth()
		})
		p.wg.Go(func() {
			_, _ = io.CopyN(in, out, limit(false))
			closeBoth()
		})
	}
}

// syncUntilDone syncs until a run succeeds, as a user retrying would.
func syncUntilDone(t *testing.T, r *replica, c *rsync.Client) int {
	t.Helper()
	for runs := 1; runs <= 40; runs++ {
		_, err := rsync.Run(ctx, r.st, rsync.Options{Client: c, Now: r.now, PushBatch: 40, PullLimit: 40})
		if err == nil {
			return runs
		}
		var off *rsync.OfflineError
		var se *rsync.ServerError
		if !errors.As(err, &off) && !errors.As(err, &se) && !strings.Contains(err.Error(), "JSON") {
			t.Fatalf("%s: sync failed in an unexpected way: %v", r.name, err)
		}
	}
	t.Fatalf("%s: sync never succeeded", r.name)
	return 0
}

// TestDroppedConnections cuts connections after N bytes, each way, in
// the middle of pushes and pulls: syncing again loses and duplicates
// nothing.
func TestDroppedConnections(t *testing.T) {
	for _, up := range []bool{true, false} {
		for _, after := range []int{200, 5000} {
			t.Run(fmt.Sprintf("up=%v/after=%d", up, after), func(t *testing.T) {
				c := newClock()
				tm := newTeam(t, backends[0], c)
				li, sam := newReplica(t, "li", c.Now), newReplica(t, "sam", c.Now)
				addContacts(t, li, 120)
				addContacts(t, sam, 60)
				p := newCutProxy(t, tm.addr, 6, after, up)
				cl, err := rsync.NewClient(p.url(), tm.token, rsync.ClientOptions{Attempts: 1})
				if err != nil {
					t.Fatal(err)
				}
				runs := syncUntilDone(t, li, cl) + syncUntilDone(t, sam, cl) + syncUntilDone(t, li, cl)
				if runs <= 3 {
					t.Fatalf("no connection was cut (%d runs)", runs)
				}
				if pending(t, li) != 0 || pending(t, sam) != 0 {
					t.Fatal("writes were left unpushed")
				}
				checkFeed(t, tm, 180)
				recs := li.records(t)
				if len(recs) != 180 {
					t.Fatalf("li has %d records, want 180", len(recs))
				}
				sameRecords(t, []string{"li", "sam", "server"}, recs, sam.records(t), tm.serverRecords(t))
			})
		}
	}
}

// countingTransport counts requests by path.
type countingTransport struct {
	mu gosync.Mutex
	n  map[string]int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[r.URL.Path]++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// TestPageBoundaries pulls feeds of 0, exactly one page, and one more
// than a page of ops.
func TestPageBoundaries(t *testing.T) {
	const limit = 25
	for _, n := range []int{0, limit, limit + 1, 2 * limit} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := newClock()
			tm := newTeam(t, backends[0], c)
			li, sam := newReplica(t, "li", c.Now), newReplica(t, "sam", c.Now)
			sam.sync(t, tm.client(t))
			addContacts(t, li, n)
			li.sync(t, tm.client(t))
			ct := &countingTransport{n: map[string]int{}}
			cl, _ := rsync.NewClient(tm.url(), tm.token, rsync.ClientOptions{Transport: ct})
			res, err := rsync.Run(ctx, sam.st, rsync.Options{Client: cl, Now: sam.now, PullLimit: limit})
			if err != nil {
				t.Fatal(err)
			}
			wantPages := max(1, (n+limit-1)/limit)
			if res.Pulled != n || ct.n["/v1/sync/changes"] != wantPages {
				t.Fatalf("pulled %d ops in %d pages, want %d in %d", res.Pulled, ct.n["/v1/sync/changes"], n, wantPages)
			}
			// A fresh replica starts from the snapshot, paged the same way.
			fresh := newReplica(t, "fresh", c.Now)
			res, err = rsync.Run(ctx, fresh.st, rsync.Options{Client: cl, Now: fresh.now, PullLimit: limit})
			if err != nil || res.Pulled != n {
				t.Fatalf("fresh replica pulled %d, %v", res.Pulled, err)
			}
			sameRecords(t, []string{"li", "sam", "fresh"}, li.records(t), sam.records(t), fresh.records(t))
		})
	}
}

// TestServerRestartMidSync kills the server while a push is in flight and
// starts it again on the same data: the next sync completes, nothing
// lost, nothing doubled.
func TestServerRestartMidSync(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		tm := newTeam(t, b, c)
		pushes := make(chan struct{}, 100)
		tm.wrap = func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v1/sync/push" {
					pushes <- struct{}{}
					time.Sleep(5 * time.Millisecond)
				}
				h.ServeHTTP(w, r)
			})
		}
		tm.restart()
		li, sam := newReplica(t, "li", c.Now), newReplica(t, "sam", c.Now)
		addContacts(t, li, 400)
		cl, _ := rsync.NewClient(tm.url(), tm.token, rsync.ClientOptions{Attempts: 1})
		errc := make(chan error, 1)
		go func() {
			_, err := rsync.Run(ctx, li.st, rsync.Options{Client: cl, Now: li.now, PushBatch: 50})
			errc <- err
		}()
		<-pushes
		<-pushes // the second batch is on its way
		tm.restart()
		if err := <-errc; err == nil {
			t.Log("the sync finished before the server went down")
		}
		syncUntilDone(t, li, tm.client(t))
		syncUntilDone(t, sam, tm.client(t))
		checkFeed(t, tm, 400)
		sameRecords(t, []string{"li", "sam", "server"}, li.records(t), sam.records(t), tm.serverRecords(t))
	})
}

// TestServerRestoredFromOldBackup restores the server from a backup that
// lacks the latest pushes: the clients notice the new epoch, push their
// whole state again, and everyone ends with everything.
func TestServerRestoredFromOldBackup(t *testing.T) {
	c := newClock()
	tm := newTeam(t, backends[0], c)
	li, sam := newReplica(t, "li", c.Now), newReplica(t, "sam", c.Now)
	addContacts(t, li, 20)
	li.sync(t, tm.client(t))
	sam.sync(t, tm.client(t))
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := tm.storage.(*boltstore.Store).BackupTo(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// After the backup: more writes by both, synced.
	addContacts(t, sam, 15)
	sam.sync(t, tm.client(t))
	li.sync(t, tm.client(t))
	var gone model.Contact
	li.update(t, func(tx *store.Tx) error {
		cs, err := tx.Contacts(store.ContactQuery{Limit: 1})
		if err != nil || len(cs) == 0 {
			return fmt.Errorf("no contact: %v", err)
		}
		gone = cs[0]
		_, err = tx.DeleteContact(gone.ID)
		return err
	})
	li.sync(t, tm.client(t))
	sam.sync(t, tm.client(t))

	tm.stop()
	if err := boltstore.Restore(tm.source, backup); err != nil {
		t.Fatal(err)
	}
	tm.storage = tm.b.open(t, tm.source)
	tm.start()
	if n := len(tm.serverRecords(t)); n != 20 {
		t.Fatalf("the restored server holds %d records, want 20", n)
	}
	res := li.sync(t, tm.client(t))
	if !res.FullPush {
		t.Fatal("li did not push its whole state to the restored server")
	}
	sam.sync(t, tm.client(t))
	li.sync(t, tm.client(t))
	fresh := newReplica(t, "fresh", c.Now)
	fresh.sync(t, tm.client(t))
	recs := fresh.records(t)
	if len(recs) != 34 {
		t.Fatalf("after the restore the team has %d records, want 34", len(recs))
	}
	if _, ok := recs["contact/"+gone.ID.String()]; ok {
		t.Fatal("the deletion made after the backup was lost")
	}
	sameRecords(t, []string{"li", "sam", "fresh", "server"}, li.records(t), sam.records(t), recs, tm.serverRecords(t))
}

// TestClockSkew runs replicas whose clocks are off by an hour either way
// or a day ahead. Behind: its writes are accepted (and lose to later
// ones). Ahead beyond what the server accepts: its writes wait, nothing
// is lost, it still pulls; once its clock is set right they are
// restamped and pushed.
func TestClockSkew(t *testing.T) {
	for _, skew := range []time.Duration{-time.Hour, time.Hour, 24 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			c := newClock()
			tm := newTeam(t, backends[0], c)
			var off atomic.Int64
			off.Store(int64(skew))
			skewed := func() time.Time { return c.Now().Add(time.Duration(off.Load())) }
			li, sam := newReplica(t, "li", skewed), newReplica(t, "sam", c.Now)
			ct := addContact(t, sam, "Maria")
			sam.sync(t, tm.client(t))
			li.sync(t, tm.client(t))

			editContact(t, li, ct.ID, func(c *model.Contact) { c.Tags = []string{"from-li"} })
			editContact(t, sam, ct.ID, func(c *model.Contact) { c.Title = "from sam" })
			sam.sync(t, tm.client(t))
			_, err := rsync.Run(ctx, li.st, rsync.Options{Client: tm.client(t), Now: li.now})
			var ahead *rsync.ClockAheadError
			switch {
			case skew < 0 && err != nil:
				t.Fatalf("a clock behind: %v", err)
			case skew > 0 && !errors.As(err, &ahead):
				t.Fatalf("a clock %s ahead: %v, want a ClockAheadError", skew, err)
			case skew > 0:
				if pending(t, li) == 0 {
					t.Fatal("the refused writes are not waiting")
				}
				if got := li.records(t)["contact/"+ct.ID.String()]; !strings.Contains(got, "from sam") {
					t.Fatalf("li did not pull while its clock is ahead: %s", got)
				}
				off.Store(0) // the user sets the clock right
				res := li.sync(t, tm.client(t))
				if res.Restamped == 0 {
					t.Fatal("nothing was restamped")
				}
			}
			editContact(t, li, ct.ID, func(c *model.Contact) { c.Source = "later" })
			li.sync(t, tm.client(t))
			sam.sync(t, tm.client(t))
			if pending(t, li) != 0 {
				t.Fatal("li still has writes to push")
			}
			recs := sam.records(t)
			got := recs["contact/"+ct.ID.String()]
			for _, want := range []string{"from-li", "from sam", "later"} {
				if !strings.Contains(got, want) {
					t.Fatalf("sam's contact lacks %q: %s", want, got)
				}
			}
			sameRecords(t, []string{"sam", "li", "server"}, recs, li.records(t), tm.serverRecords(t))
		})
	}
}

// TestTwentyClients has 20 replicas write and sync at once against each
// backend; then all converge.
func TestTwentyClients(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		tm := newTeam(t, b, c)
		a := &acks{ids: map[string]bool{}}
		var actors []*actor
		for i := range 20 {
			r := newReplica(t, fmt.Sprintf("r%02d", i), c.Now)
			actors = append(actors, &actor{r: r, rng: randFor(uint64(i))})
		}
		var wg gosync.WaitGroup
		errs := make(chan error, len(actors))
		for _, x := range actors {
			wg.Go(func() {
				cl := tm.ackClient(t, a)
				for round := range 2 {
					for range 3 + round {
						if err := x.step(); err != nil {
							errs <- err
							return
						}
					}
					if _, err := rsync.Run(ctx, x.r.st, rsync.Options{Client: cl, Now: x.r.now, PushBatch: 20, PullLimit: 30}); err != nil {
						errs <- fmt.Errorf("%s: %w", x.r.name, err)
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
		quiesce(t, tm, actors, a)
		var sets []map[string]string
		var names []string
		for _, x := range actors {
			sets = append(sets, x.r.records(t))
			names = append(names, x.r.name)
		}
		sameRecords(t, append(names, "server"), append(sets, tm.serverRecords(t))...)
		checkFeed(t, tm, len(tm.feed(t)))
		for _, x := range actors {
			checkHealthy(t, x.r)
		}
	})
}

// TestWriteDuringInterruptedFullPush: a first sync stops after some
// batches; a write lands in the part already pushed; the resumed sync
// still pushes it.
func TestWriteDuringInterruptedFullPush(t *testing.T) {
	c := newClock()
	tm := newTeam(t, backends[0], c)
	var pushes atomic.Int32
	tm.wrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/sync/push" && pushes.Add(1) == 2 {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	tm.restart()
	li := newReplica(t, "li", c.Now)
	li.update(t, func(tx *store.Tx) error {
		for i := range 30 {
			if err := tx.PutCompany(&model.Company{Name: fmt.Sprint("co ", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	addContacts(t, li, 30)
	cl, _ := rsync.NewClient(tm.url(), tm.token, rsync.ClientOptions{Attempts: 1})
	if _, err := rsync.Run(ctx, li.st, rsync.Options{Client: cl, Now: li.now, PushBatch: 25}); err == nil {
		t.Fatal("the sync went through a failing server")
	}
	// Rename the first company, which the first batch already pushed.
	c.Advance(time.Second)
	var first model.Company
	li.update(t, func(tx *store.Tx) error {
		return tx.EachCompany(func(co *model.Company) error {
			if first.ID.IsZero() {
				first = *co
			}
			return nil
		})
	})
	first.Name = "renamed in between"
	li.update(t, func(tx *store.Tx) error { return tx.PutCompany(&first) })
	li.sync(t, tm.client(t))
	fresh := newReplica(t, "fresh", c.Now)
	fresh.sync(t, tm.client(t))
	recs := fresh.records(t)
	if len(recs) != 60 || !strings.Contains(recs["company/"+first.ID.String()], "renamed in between") {
		t.Fatalf("the server passed on %d records; the renamed company: %s", len(recs), recs["company/"+first.ID.String()])
	}
	sameRecords(t, []string{"li", "fresh"}, li.records(t), recs)
}
