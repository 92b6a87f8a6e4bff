package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/boltstore"
	"github.com/rolo-crm/rolo/sync/server/pgstore"
	"github.com/rolo-crm/rolo/sync/server/pgstore/pgtest"
)

var ctx = context.Background()

// backend is a kind of server storage the sync tests run against.
type backend struct {
	name string
	// source returns a new, empty data source: a directory or a URL.
	source func(t testing.TB) string
	// open opens the storage at a source.
	open func(t testing.TB, source string) server.Storage
}

var backends = []backend{
	{"bbolt", func(t testing.TB) string { return t.TempDir() }, func(t testing.TB, dir string) server.Storage {
		s, err := boltstore.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
	{"postgres", func(t testing.TB) string { return pgtest.URL(t) }, func(t testing.TB, u string) server.Storage {
		s, err := pgstore.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
}

// forEachBackend runs fn as a subtest per backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// clock is a settable clock shared by a test's replicas and server.
type clock struct {
	mu   gosync.Mutex
	now  time.Time
	real bool // the wall clock, for benchmarks on real data
}

func newClock() *clock { return &clock{now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)} }

func wallClock() *clock { return &clock{real: true} }

func (c *clock) Now() time.Time {
	if c.real {
		return time.Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// team is a server on 127.0.0.1 with one team and its admin token.
type team struct {
	t       testing.TB
	b       backend
	source  string
	storage server.Storage
	addr    string
	srv     *http.Server
	done    chan struct{}
	token   string
	clock   *clock
	// wrap, when set, wraps the server's handler (to watch requests).
	wrap func(http.Handler) http.Handler
}

func newTeam(t testing.TB, b backend, c *clock) *team {
	t.Helper()
	tm := &team{t: t, b: b, source: b.source(t), clock: c, addr: "127.0.0.1:0"}
	tm.storage = b.open(t, tm.source)
	text, _, err := server.IssueToken(ctx, tm.storage, "acme", "tester", true, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	tm.token = text
	tm.start()
	t.Cleanup(tm.stop)
	return tm
}

func (tm *team) start() {
	ln, err := net.Listen("tcp", tm.addr)
	for i := 0; err != nil && i < 50; i++ { // the old socket may linger a moment
		time.Sleep(20 * time.Millisecond)
		ln, err = net.Listen("tcp", tm.addr)
	}
	if err != nil {
		tm.t.Fatal(err)
	}
	tm.addr = ln.Addr().String()
	var h http.Handler = server.New(server.Options{Storage: tm.storage, Now: tm.clock.Now, Rate: -1}).Handler()
	if tm.wrap != nil {
		h = tm.wrap(h)
	}
	tm.srv = &http.Server{Handler: h}
	tm.done = make(chan struct{})
	go func() {
		defer close(tm.done)
		_ = tm.srv.Serve(ln)
	}()
}

// stop kills the server: connections are cut, requests in flight fail.
func (tm *team) stop() {
	if tm.srv == nil {
		return
	}
	tm.srv.Close()
	<-tm.done
	tm.storage.Close()
	tm.srv = nil
}

// restart kills the server and starts it again on the same data and
// address.
func (tm *team) restart() {
	tm.stop()
	tm.storage = tm.b.open(tm.t, tm.source)
	tm.start()
}

func (tm *team) url() string { return "http://" + tm.addr }

func (tm *team) client(t testing.TB) *rsync.Client {
	c, err := rsync.NewClient(tm.url(), tm.token, rsync.ClientOptions{Attempts: 2, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// replica is one user's database.
type replica struct {
	name string
	st   *store.Store
	now  func() time.Time
}

func newReplica(t testing.TB, name string, now func() time.Time) *replica {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), name+".db"), store.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &replica{name: name, st: st, now: now}
}

func (r *replica) sync(t testing.TB, c *rsync.Client) rsync.Result {
	t.Helper()
	res, err := rsync.Run(ctx, r.st, rsync.Options{Client: c, Now: r.now, PushBatch: 50, PullLimit: 40})
	if err != nil {
		t.Fatalf("%s: sync: %v", r.name, err)
	}
	return res
}

func (r *replica) update(t testing.TB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := r.st.Update(fn); err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
}

// records returns the JSON of every record, keyed by entity and id.
func (r *replica) records(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	add := func(e model.Entity, id model.ID, rec any) error {
		b, err := json.Marshal(rec)
		out[e.String()+"/"+id.String()] = string(b)
		return err
	}
	err := r.st.View(func(tx *store.Tx) error {
		return firstErr(
			tx.EachContact(func(c *model.Contact) error { return add(model.EntityContact, c.ID, c) }),
			tx.EachCompany(func(c *model.Company) error { return add(model.EntityCompany, c.ID, c) }),
			tx.EachDeal(func(d *model.Deal) error { return add(model.EntityDeal, d.ID, d) }),
			tx.EachTask(func(x *model.Task) error { return add(model.EntityTask, x.ID, x) }),
			tx.EachActivity(func(a *model.Activity) error { return add(model.EntityActivity, a.ID, a) }),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// serverRecords reads every record through the read endpoints.
func (tm *team) serverRecords(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range []struct {
		path   string
		entity model.Entity
	}{{"contacts", model.EntityContact}, {"companies", model.EntityCompany}, {"deals", model.EntityDeal}, {"tasks", model.EntityTask}, {"activities", model.EntityActivity}} {
		after := ""
		for {
			var page server.RecordsPage
			tm.get(t, "/v1/"+e.path+"?limit=1000&after="+after, &page)
			for _, item := range page.Items {
				var head struct {
					ID model.ID `json:"id"`
				}
				if err := json.Unmarshal(item, &head); err != nil {
					t.Fatal(err)
				}
				out[e.entity.String()+"/"+head.ID.String()] = string(item)
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
	}
	return out
}

func (tm *team) get(t testing.TB, path string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, tm.url()+path, nil)
	req.Header.Set("Authorization", "Bearer "+tm.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// sameRecords fails unless every map holds the same records.
func sameRecords(t testing.TB, names []string, sets ...map[string]string) {
	t.Helper()
	for i := 1; i < len(sets); i++ {
		if d := diffRecords(sets[0], sets[i]); d != "" {
			t.Fatalf("%s and %s differ:\n%s", names[0], names[i], d)
		}
	}
}

func diffRecords(a, b map[string]string) string {
	var out []string
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	for _, k := range sorted {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s:\n  %s\n  %s", k, a[k], b[k]))
		}
		if len(out) > 5 {
			break
		}
	}
	return strings.Join(out, "\n")
}
