package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/store"
)

// The benchmarks carry the TUI's performance targets on the 100,000
// contact demo database (20,000 deals, 50,000 follow-ups, 200,000
// activities): first frame with data under 150 ms, a search keystroke
// re-rendered under 16 ms at p95, a cursor move under 2 ms per frame.

const benchContacts = 100_000

// benchDB returns the path of the 100k demo database, made once and kept
// under the temp directory for later runs (generating it takes about
// half a minute).
func benchDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("rolo-ui-bench-seed%d-%d.db", testSeed, benchContacts))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + fmt.Sprintf(".%d.tmp", os.Getpid())
	st, err := store.Open(tmp, testStoreOptions(testConfig()))
	if err != nil {
		b.Fatal(err)
	}
	_, err = demo.Generate(st, demo.Options{Contacts: benchContacts, Seed: testSeed, Now: testNow})
	st.Close()
	if err != nil {
		os.Remove(tmp)
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchStore(b *testing.B) *store.Store {
	b.Helper()
	st, err := store.Open(benchDB(b), testStoreOptions(testConfig()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// cmdRunner runs a model's commands the way Bubble Tea does, each in a
// goroutine, feeding their messages to Update one at a time. The
// once-a-second poll is left out: it has nothing to do here.
type cmdRunner struct {
	m           *Model
	msgs        chan tea.Msg
	outstanding int // commands started whose message has not been handled
}

func newRunner(m *Model) *cmdRunner { return &cmdRunner{m: m, msgs: make(chan tea.Msg, 256)} }

func (r *cmdRunner) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	r.outstanding++
	go func() { r.msgs <- cmd() }()
}

// until handles messages until done holds.
func (r *cmdRunner) until(done func() bool) {
	for !done() {
		r.next()
	}
}

// settle handles messages until no command is running.
func (r *cmdRunner) settle() {
	for r.outstanding > 0 {
		r.next()
	}
}

func (r *cmdRunner) next() {
	msg := <-r.msgs
	r.outstanding--
	switch msg := msg.(type) {
	case nil, pollTickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			r.exec(c)
		}
	case seqMsg:
		r.m.seq, r.m.seqKnown = msg.seq, true
	default:
		_, cmd := r.m.Update(msg)
		r.exec(cmd)
	}
}

func newBenchModel(st *store.Store) *Model {
	m := New(Options{Store: st, Config: testConfig(), Lang: i18n.English, Now: testClock})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	return m
}

// BenchmarkFirstFrame measures from a new model to its first frame with
// data: Init's commands run concurrently, as in the program, and the
// clock stops when the start screen has drawn its follow-ups, deals and
// pipeline (customers going quiet fill in after it).
func BenchmarkFirstFrame(b *testing.B) {
	st := benchStore(b)
	warm := newRunner(newBenchModel(st)) // the page cache, as after any start
	warm.exec(warm.m.Init())
	warm.until(warm.m.views[viewToday].(*todayView).ready)
	warm.settle()
	runtime.GC()
	var times, cpu []time.Duration
	b.ResetTimer()
	for range b.N {
		start, c := time.Now(), cpuTime()
		m := newBenchModel(st)
		r := newRunner(m)
		r.exec(m.Init())
		r.until(m.views[viewToday].(*todayView).ready)
		_ = m.View()
		times, cpu = append(times, time.Since(start)), append(cpu, cpuTime()-c)
		b.StopTimer()
		r.settle()
		runtime.GC() // a new process starts with an empty heap
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, times, cpu)
}

// contactsReady returns a model showing the Contacts view with the
// search index and the first rows loaded.
func contactsReady(b *testing.B, st *store.Store) (*Model, *cmdRunner) {
	m := newBenchModel(st)
	r := newRunner(m)
	r.exec(m.Init())
	cv := m.views[viewContacts].(*contactsView)
	r.until(func() bool { return cv.list.ix != nil })
	_, cmd := m.Update(keyMsg("2"))
	r.exec(cmd)
	r.settle()
	return m, r
}

// BenchmarkSearchKeystroke types queries key by key into the contact
// search over 100,000 contacts. One keystroke is Update with the key,
// the search command it returns (the in-memory scan and the fetch of the
// first screen of records), Update with the result, and View. It
// reports the 95th percentile.
func BenchmarkSearchKeystroke(b *testing.B) {
	st := benchStore(b)
	m, r := contactsReady(b, st)
	m.Update(keyMsg("/"))
	queries := []string{"zhang wei", "zw", "wang", "138", "li na", "@qq.com", "陈", "manager"}
	var times, cpu []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; {
		for _, q := range queries {
			keys := []string{}
			for _, c := range q {
				keys = append(keys, string(c))
			}
			for range q {
				keys = append(keys, "backspace")
			}
			for _, k := range keys {
				if i == b.N {
					break
				}
				i++
				start, c := time.Now(), cpuTime()
				_, cmd := m.Update(keyMsg(k))
				rest := keystroke(m, cmd)
				_ = m.View()
				times, cpu = append(times, time.Since(start)), append(cpu, cpuTime()-c)
				b.StopTimer()
				r.exec(rest) // the rest of the result, the details: before the next key, as a typist's pace allows
				r.settle()
				b.StartTimer()
			}
		}
	}
	b.StopTimer()
	reportPercentiles(b, times, cpu)
}

// keystroke runs the commands a key returned until the search result for
// the screen is in: the part of a keystroke the user waits for. It
// returns what is left to run (completing a partial result, loading the
// selected contact's details), which the program runs in the background.
func keystroke(m *Model, cmd tea.Cmd) tea.Cmd {
	pending := []tea.Cmd{cmd}
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			pending = append(pending, msg...)
		case searchMsg[contactRow]:
			_, rest := m.Update(msg)
			return tea.Batch(append(pending, rest)...)
		default:
			_, rest := m.Update(msg)
			pending = append(pending, rest)
		}
	}
	return nil
}

// BenchmarkCursorMove moves the cursor down the contact list, one key a
// frame: Update and View. The records of rows coming into view and the
// details of the selected contact load in commands afterwards, outside
// the frame, as in the program.
func BenchmarkCursorMove(b *testing.B) {
	st := benchStore(b)
	m, r := contactsReady(b, st)
	var times, cpu []time.Duration
	b.ResetTimer()
	for i := range b.N {
		k := "down"
		if (i/500)%2 == 1 {
			k = "up"
		}
		start, c := time.Now(), cpuTime()
		_, cmd := m.Update(keyMsg(k))
		_ = m.View()
		times, cpu = append(times, time.Since(start)), append(cpu, cpuTime()-c)
		b.StopTimer()
		r.exec(cmd)
		r.settle()
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, times, cpu)
}

// BenchmarkIndexMemory reports the heap the contact search index holds.
func BenchmarkIndexMemory(b *testing.B) {
	st := benchStore(b)
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var ix *nameIndex
		st.View(func(tx *store.Tx) error { ix = newNameIndex(tx.ContactSearchIndex()); return nil })
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "index-MB")
		runtime.KeepAlive(ix)
	}
}

// reportPercentiles reports the wall time of the 50th, 95th and 99th
// percentile operation, and the processor time at the 95th (which a
// machine busy with other processes does not inflate).
func reportPercentiles(b *testing.B, wall, cpu []time.Duration) {
	if len(wall) == 0 {
		return
	}
	at := func(d []time.Duration, p float64) float64 {
		d = slices.Sorted(slices.Values(d))
		return float64(d[min(int(float64(len(d))*p), len(d)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(at(wall, 0.50), "p50-ms")
	b.ReportMetric(at(wall, 0.95), "p95-ms")
	b.ReportMetric(at(wall, 0.99), "p99-ms")
	b.ReportMetric(at(cpu, 0.95), "p95-cpu-ms")
}
