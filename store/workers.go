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
			if !ok {
				urgent = nil
				continue
			}
			fn()
			continue
		default:
		}
		select {
		case fn, ok := <-urgent:
			if !ok {
				urgent = nil
				continue
			}
			fn()
		case fn, ok := <-later:
			if !ok {
				later = nil
				continue
			}
			fn()
		}
	}
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
