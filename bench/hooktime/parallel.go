package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// parallel starts n hook processes at once, as n Claude Code windows that
// open together would: n new conversations' SessionStart, then a prompt
// in each. It reports each burst's median, 90th percentile and slowest
// hook and the burst's whole time: where hooks wait on one another (the
// index, the launch lock), the slowest shows it.
func (b *bench) parallel(stdout io.Writer, n int) error {
	fmt.Fprintf(stdout, "%d hooks started at once:\n\n| burst | median ms | p90 ms | slowest ms | whole burst ms |\n|---|---:|---:|---:|---:|\n", n)
	bursts := []struct {
		name  string
		event string
		extra map[string]any
	}{
		{"SessionStart (new conversations)", "SessionStart", map[string]any{"source": "startup"}},
		{"UserPromptSubmit (one in each)", "UserPromptSubmit", map[string]any{"prompt": "Measure the hooks of many windows at once"}},
	}
	for _, burst := range bursts {
		took := make([]time.Duration, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := time.Now()
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := payload(burst.event, b.repo, fmt.Sprintf("conv-par-%d", i), burst.extra)
				took[i], errs[i] = fireHook(b.hook, nil, b.repo, b.env, p, filepath.Join(filepath.Dir(b.errPath), fmt.Sprintf("stderr-%d", i)))
			}()
		}
		wg.Wait()
		whole := time.Since(start)
		for i, err := range errs {
			if err != nil {
				return fmt.Errorf("%s, hook %d: %w", burst.name, i, err)
			}
		}
		slices.Sort(took)
		fmt.Fprintf(stdout, "| %s | %.1f | %.1f | %.1f | %.1f |\n", burst.name, ms(took[n/2]), ms(took[n*9/10]), ms(took[n-1]), ms(whole))
	}
	return nil
}
