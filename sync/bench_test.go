package sync_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// The benchmarks carry the targets of issue 5 (docs/sync-protocol.md,
// "Performance"). Run them alone, for example:
//
//	go test -run '^$' -bench 'FirstSync/bbolt' -benchtime 1x ./sync/
//
// The 100,000-contact demo database is built once (about 20 s) as
// $TMPDIR/rolo-sync-bench-100k.db and reused by later runs.

const benchContacts = 100_000

var demoOnce gosync.Once

// demoDB returns a fresh copy of the benchmark database.
func demoDB(b *testing.B) string {
	b.Helper()
	src := filepath.Join(os.TempDir(), fmt.Sprintf("rolo-sync-bench-%dk.db", benchContacts/1000))
	demoOnce.Do(func() {
		if ok := demoReady(src); ok {
			return
		}
		os.Remove(src)
		start := time.Now()
		st, err := store.Open(src+".tmp", store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		stats, err := demo.Generate(st, demo.Options{Contacts: benchContacts, Seed: 1})
		st.Close()
		if err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(src+".tmp", src); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "built the benchmark database (%s) in %v\n", stats, time.Since(start).Round(time.Second))
	})
	dst := filepath.Join(b.TempDir(), "local.db")
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	return dst
}

func demoReady(path string) bool {
	st, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		return false
	}
	defer st.Close()
	n := 0
	st.View(func(tx *store.Tx) error {
		n = tx.CountContacts()
		return nil
	})
	return n == benchContacts
}

func openLocal(b *testing.B, path string) *store.Store {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkFirstSync pushes the whole demo database to an empty server
// on 127.0.0.1 (targets: 5 s with bbolt, 15 s with PostgreSQL), then
// measures a sync with nothing to do (target: 50 ms).
func BenchmarkFirstSync(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			var records int
			for b.Loop() {
				b.StopTimer()
				path := demoDB(b)
				tm := newTeam(b, be, wallClock())
				st := openLocal(b, path)
				b.StartTimer()
				res, err := rsync.Run(ctx, st, rsync.Options{Client: tm.client(b)})
				if err != nil {
					b.Fatal(err)
				}
				records = res.Pushed
				b.StopTimer()
				tm.stop()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(records), "ops")
		})
	}
}

// BenchmarkNoopSync syncs a replica of the demo database that is up to
// date (target: under 50 ms).
func BenchmarkNoopSync(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			path := demoDB(b)
			tm := newTeam(b, be, wallClock())
			st := openLocal(b, path)
			if _, err := rsync.Run(ctx, st, rsync.Options{Client: tm.client(b)}); err != nil {
				b.Fatal(err)
			}
			cl := tm.client(b)
			for b.Loop() {
				res, err := rsync.Run(ctx, st, rsync.Options{Client: cl})
				if err != nil {
					b.Fatal(err)
				}
				if res.Pushed+res.Pulled != 0 {
					b.Fatalf("not a no-op: %+v", res)
				}
			}
		})
	}
}

// BenchmarkConcurrentPush has 20 clients each push 1,000 ops, one op a
// request, at once, and reports the 99th percentile of the push latency
// (target with bbolt: under 100 ms).
func BenchmarkConcurrentPush(b *testing.B) {
	const clients, each = 20, 1000
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				b.StopTimer()
				tm := newTeam(b, be, wallClock())
				var mu gosync.Mutex
				lat = lat[:0]
				b.StartTimer()
				var wg gosync.WaitGroup
				for i := range clients {
					wg.Go(func() {
						cl := tm.client(b)
						r := store.Replica{byte(i + 1)}
						mine := make([]time.Duration, 0, each)
						start := store.MakeHLC(time.Now())
						for j := range each {
							h := start + store.HLC(j)
							op := protocol.Op{
								OpID: protocol.OpID(r, h), Replica: r, Entity: model.EntityContact, ID: model.NewID(time.Now()), HLC: h,
								Groups: []string{"created", "name"}, Value: []byte(fmt.Sprintf(`{"created_at":"2026-11-01T00:00:00Z","name":"c%d-%d"}`, i, j)),
							}
							t0 := time.Now()
							if _, err := cl.Push(ctx, []protocol.Op{op}); err != nil {
								b.Error(err)
								return
							}
							mine = append(mine, time.Since(t0))
						}
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
					})
				}
				wg.Wait()
				b.StopTimer()
				tm.stop()
				b.StartTimer()
			}
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			}
		})
	}
}

// BenchmarkFirstPull is a new member of the team joining: an empty
// database pulls everything the demo database pushed to the server.
func BenchmarkFirstPull(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			tm := newTeam(b, be, wallClock())
			if _, err := rsync.Run(ctx, openLocal(b, demoDB(b)), rsync.Options{Client: tm.client(b)}); err != nil {
				b.Fatal(err)
			}
			var records int
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				st := openLocal(b, filepath.Join(b.TempDir(), fmt.Sprintf("new%d.db", i)))
				b.StartTimer()
				res, err := rsync.Run(ctx, st, rsync.Options{Client: tm.client(b)})
				if err != nil {
					b.Fatal(err)
				}
				records = res.Pulled
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(records), "ops")
		})
	}
}
