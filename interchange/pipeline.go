package interchange

import (
	"runtime"
	"sync"
)

// ordered runs produce on a goroutine of its own, work on every core and
// consume on the caller's goroutine: produce hands out pieces of work
// with send, work prepares each, and consume receives them prepared, in
// the order they were sent. A few pieces are in flight at a time, so
// memory holds a few pieces whatever the size of the input.
//
// send returns false once consume has failed: produce should then stop.
// ordered returns consume's error, else produce's.
func ordered[W any](produce func(send func(W) bool) error, work func(W), consume func(W) error) error {
	type job struct {
		w    W
		done chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *job, workers)
	queue := make(chan *job, 2*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				work(j.w)
				close(j.done)
			}
		}()
	}
	produced := make(chan error, 1)
	go func() {
		defer close(jobs)
		defer close(queue)
		produced <- produce(func(w W) bool {
			j := &job{w: w, done: make(chan struct{})}
			select {
			case queue <- j:
			case <-stop:
				return false
			}
			jobs <- j
			return true
		})
	}()
	var err error
	for j := range queue {
		<-j.done
		if err == nil {
			if err = consume(j.w); err != nil {
				close(stop)
			}
		}
	}
	wg.Wait()
	if perr := <-produced; err == nil {
		err = perr
	}
	return err
}
