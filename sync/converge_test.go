package sync_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// acks records every op a server acknowledged (stored now or before),
// watching the pushes on the wire.
type acks struct {
	mu  gosync.Mutex
	ids map[string]bool
}

type ackTransport struct {
	acks *acks
	next http.RoundTripper
}

func (a ackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/v1/sync/push") {
		return a.next.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := a.next.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		return resp, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	var pr protocol.PushRequest
	var ps protocol.PushResponse
	if json.Unmarshal(body, &pr) == nil && json.Unmarshal(out, &ps) == nil {
		rejected := map[string]bool{}
		for _, r := range ps.Rejected {
			rejected[r.OpID] = true
		}
		a.acks.mu.Lock()
		for _, op := range pr.Ops {
			if !rejected[op.OpID] {
				a.acks.ids[op.OpID] = true
			}
		}
		a.acks.mu.Unlock()
	}
	return resp, nil
}

func (tm *team) ackClient(t testing.TB, a *acks) *rsync.Client {
	c, err := rsync.NewClient(tm.url(), tm.token, rsync.ClientOptions{
		Attempts: 2, Backoff: time.Millisecond, Transport: ackTransport{acks: a, next: http.DefaultTransport},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// feed returns the op ids of the team's whole change feed.
func (tm *team) feed(t testing.TB) []string {
	t.Helper()
	var ids []string
	since := ""
	for {
		var page protocol.ChangesResponse
		tm.get(t, "/v1/sync/changes?limit=10000&since="+since, &page)
		for _, op := range page.Ops {
			ids = append(ids, op.OpID)
		}
		since = page.Cursor
		if !page.HasMore {
			return ids
		}
	}
}

// actor makes random writes on one replica, as a user would.
type actor struct {
	r   *replica
	rng *rand.Rand
	// removed keeps what deletes removed, to put back later (undo).
	removed []store.Removal
}

func ids[T any](each func(func(*T) error) error, id func(*T) model.ID) []model.ID {
	var out []model.ID
	_ = each(func(r *T) error {
		out = append(out, id(r))
		return nil
	})
	return out
}

func (a *actor) pick(list []model.ID) (model.ID, bool) {
	if len(list) == 0 {
		return model.ID{}, false
	}
	return list[a.rng.IntN(len(list))], true
}

var (
	titles = []string{"CEO", "CTO", "Buyer", "采购经理", "Engineer", ""}
	tags   = []string{"vip", "lead", "客户", "cold"}
	stages = []string{"lead", "qualified", "proposal", "negotiation", "won", "lost"}
)

func randFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 99)) }

// step makes one random write. Writes the store refuses (a link to a
// record deleted meanwhile) are normal and ignored.
func (a *actor) step() error {
	err := a.r.st.Update(func(tx *store.Tx) error {
		contacts := ids(tx.EachContact, func(c *model.Contact) model.ID { return c.ID })
		companies := ids(tx.EachCompany, func(c *model.Company) model.ID { return c.ID })
		deals := ids(tx.EachDeal, func(d *model.Deal) model.ID { return d.ID })
		tasks := ids(tx.EachTask, func(x *model.Task) model.ID { return x.ID })
		acts := ids(tx.EachActivity, func(x *model.Activity) model.ID { return x.ID })
		n := a.rng.IntN(100)
		switch {
		case n < 10 || len(contacts) == 0:
			c := model.Contact{Name: fmt.Sprintf("%s %d", a.r.name, a.rng.IntN(1000)), Title: titles[a.rng.IntN(len(titles))]}
			if co, ok := a.pick(companies); ok && a.rng.IntN(2) == 0 {
				c.CompanyID = co
			}
			return tx.PutContact(&c)
		case n < 15 || len(companies) == 0:
			return tx.PutCompany(&model.Company{Name: fmt.Sprintf("Co %s %d", a.r.name, a.rng.IntN(1000))})
		case n < 40:
			id, _ := a.pick(contacts)
			c, err := tx.Contact(id)
			if err != nil {
				return err
			}
			switch a.rng.IntN(5) {
			case 0:
				c.Title = titles[a.rng.IntN(len(titles))]
			case 1:
				c.Tags = append(c.Tags, tags[a.rng.IntN(len(tags))])
			case 2:
				c.Name = fmt.Sprintf("%s renamed %d", c.Name, a.rng.IntN(10))
			case 3:
				c.Emails = []model.Email{{Address: fmt.Sprintf("x%d@%s.example", a.rng.IntN(100), a.r.name)}}
			case 4:
				co, _ := a.pick(companies)
				c.CompanyID = co
			}
			return tx.PutContact(&c)
		case n < 45:
			id, _ := a.pick(companies)
			co, err := tx.Company(id)
			if err != nil {
				return err
			}
			co.Name = fmt.Sprintf("Co %s %d", a.r.name, a.rng.IntN(1000))
			co.Industry = titles[a.rng.IntN(len(titles))]
			return tx.PutCompany(&co)
		case n < 55:
			ct, _ := a.pick(contacts)
			d := model.Deal{Title: fmt.Sprintf("deal %s %d", a.r.name, a.rng.IntN(1000)), ContactID: ct, Stage: stages[a.rng.IntN(4)]}
			return tx.PutDeal(&d)
		case n < 62 && len(deals) > 0:
			id, _ := a.pick(deals)
			_, err := tx.MoveDeal(id, stages[a.rng.IntN(len(stages))], "price")
			return err
		case n < 70:
			ct, _ := a.pick(contacts)
			x := model.Task{Title: fmt.Sprintf("call %d", a.rng.IntN(100)), ContactID: ct, Priority: model.PriorityNormal}
			if d, ok := a.pick(deals); ok && a.rng.IntN(2) == 0 {
				x.DealID = d
			}
			return tx.PutTask(&x)
		case n < 74 && len(tasks) > 0:
			id, _ := a.pick(tasks)
			_, _, err := tx.CompleteTask(id)
			return err
		case n < 80:
			ct, _ := a.pick(contacts)
			return tx.AddActivity(&model.Activity{Kind: model.KindNote, ContactID: ct, Body: fmt.Sprintf("note %d", a.rng.IntN(1000))})
		case n < 84:
			id, _ := a.pick(contacts)
			return a.removed1(tx.DeleteContact(id))
		case n < 86:
			id, _ := a.pick(companies)
			return a.removed1(tx.DeleteCompany(id))
		case n < 89 && len(deals) > 0:
			id, _ := a.pick(deals)
			return a.removed1(tx.DeleteDeal(id))
		case n < 91 && len(tasks) > 0:
			id, _ := a.pick(tasks)
			return a.removed1(tx.DeleteTask(id))
		case n < 93 && len(acts) > 0:
			id, _ := a.pick(acts)
			return a.removed1(tx.DeleteActivity(id))
		case n < 97 && len(a.removed) > 0:
			i := a.rng.IntN(len(a.removed))
			r := a.removed[i]
			a.removed = append(a.removed[:i], a.removed[i+1:]...)
			return tx.Restore(r)
		}
		return nil
	})
	var nf *store.NotFoundError
	if err != nil && !asNotFound(err, &nf) {
		return fmt.Errorf("%s: %w", a.r.name, err)
	}
	return nil
}

func asNotFound(err error, nf **store.NotFoundError) bool {
	for e := err; e != nil; {
		if x, ok := e.(*store.NotFoundError); ok {
			*nf = x
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

func (a *actor) removed1(r store.Removal, err error) error {
	if err == nil {
		a.removed = append(a.removed, r)
	}
	return err
}

// TestConvergence lets three replicas with skewed clocks write, delete,
// undo and sync in a random order, then syncs them until they are quiet:
// every replica and the server must then hold the same records, every
// op the server acknowledged must be in its feed once, and every
// replica's file must pass its integrity check (no dangling links).
func TestConvergence(t *testing.T) {
	seeds := []uint64{1, 2}
	if testing.Short() {
		seeds = seeds[:1]
	}
	forEachBackend(t, func(t *testing.T, b backend) {
		for _, seed := range seeds {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { converge(t, b, seed, 3, 200) })
		}
	})
}

func converge(t *testing.T, b backend, seed uint64, n, steps int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := newClock()
	tm := newTeam(t, b, c)
	a := &acks{ids: map[string]bool{}}
	var actors []*actor
	var names []string
	for i := range n {
		skew := time.Duration(rng.IntN(6000)-3000) * time.Millisecond
		r := newReplica(t, fmt.Sprintf("r%d", i), func() time.Time { return c.Now().Add(skew) })
		actors = append(actors, &actor{r: r, rng: rand.New(rand.NewPCG(seed, uint64(i)))})
		names = append(names, r.name)
	}
	for range steps {
		x := actors[rng.IntN(n)]
		if rng.IntN(8) == 0 {
			x.r.sync(t, tm.ackClient(t, a))
			continue
		}
		if err := x.step(); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Duration(rng.IntN(500)) * time.Millisecond)
	}
	quiesce(t, tm, actors, a)
	sets := []map[string]string{}
	for _, x := range actors {
		sets = append(sets, x.r.records(t))
	}
	sets = append(sets, tm.serverRecords(t))
	sameRecords(t, append(names, "server"), sets...)
	if len(sets[0]) == 0 {
		t.Fatal("no records were made")
	}
	feed := tm.feed(t)
	inFeed := map[string]int{}
	for _, id := range feed {
		inFeed[id]++
	}
	for id := range a.ids {
		if inFeed[id] != 1 {
			t.Errorf("acknowledged op %s is %d times in the feed", id, inFeed[id])
		}
	}
	for id, k := range inFeed {
		if k != 1 {
			t.Errorf("op %s is %d times in the feed", id, k)
		}
	}
	for _, x := range actors {
		checkHealthy(t, x.r)
	}
}

// quiesce syncs every replica in turn until a whole round changes
// nothing anywhere.
func quiesce(t *testing.T, tm *team, actors []*actor, a *acks) {
	t.Helper()
	for round := 0; ; round++ {
		if round > 6 {
			t.Fatal("replicas still change after 6 rounds of syncs")
		}
		quiet := true
		for _, x := range actors {
			res := x.r.sync(t, tm.ackClient(t, a))
			if res.Pushed > 0 || res.Applied > 0 || res.Repaired > 0 {
				quiet = false
			}
		}
		if quiet {
			return
		}
	}
}

func checkHealthy(t *testing.T, r *replica) {
	t.Helper()
	var rep *store.Report
	var pending int
	r.st.View(func(tx *store.Tx) error {
		rep = tx.Check()
		state, _ := tx.SyncState()
		pending, _ = tx.PendingCount(state.PushedSeq)
		return nil
	})
	if !rep.OK() {
		t.Errorf("%s fails its check: %v", r.name, rep.Problems)
	}
	if pending != 0 {
		t.Errorf("%s has %d writes not pushed", r.name, pending)
	}
}
