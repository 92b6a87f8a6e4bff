package store

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// workers run jobs on every core, urgent ones before the others, until
// stop. A job checks quitting to give up early.
type workers struct {
	urgentJobs, laterJobs chan func()
	quit                  atomic.Bool
	wg                    sync.WaitGroup
}

func newWorkers() *workers {
	w := &workers{urgentJobs: make(chan func(), 64), laterJobs: make(chan func(), 64)}
	for range runtime.GOMAXPROCS(0) {
		w.wg.Go(w.loop)
	}
	return w
}

func (w *workers) loop() {
	urgent, later := w.urgentJobs, w.laterJobs
	for urgent != nil || later != nil {
		select {
		case fn, ok := <-urgent:
			urgent = runJob(urgent, fn, ok)
			continue
		default:
		}
		select {
		case fn, ok := <-urgent:
			urgent = runJob(urgent, fn, ok)
		case fn, ok := <-later:
			later = runJob(later, fn, ok)
		}
	}
}

// runJob runs the job received from ch, and returns ch, or nil once ch
// is closed (a nil channel is never ready again).
func runJob(ch chan func(), fn func(), ok bool) chan func() {
	if !ok {
		return nil
	}
	fn()
	return ch
}

// urgent queues fn ahead of the jobs queued with later.
func (w *workers) urgent(fn func()) { w.urgentJobs <- fn }

// later queues fn.
func (w *workers) later(fn func()) { w.laterJobs <- fn }

// quitting reports whether stop was called.
func (w *workers) quitting() bool { return w.quit.Load() }

// stop lets the queued jobs give up and waits for every job to return.
func (w *workers) stop() {
	w.quit.Store(true)
	close(w.urgentJobs)
	close(w.laterJobs)
	w.wg.Wait()
}
