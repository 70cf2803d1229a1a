package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Do calls fn(0) to fn(n-1) on every core; reading and decoding many small
// files is as much CPU as I/O. Below 16 jobs, or on one core, it calls
// them in turn: starting workers would cost more than it saves.
func Do(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 16 || workers < 2 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
