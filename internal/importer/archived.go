package importer

import (
	"context"
	"runtime"
	"sync"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/pkg/store"
)

// archiveAll fills the transcript archive with the conversations'
// transcripts (what each has gained since its last append: nothing, for
// one archived whole already), on every core, since redaction reads about
// a megabyte a second. It returns how many transcripts gained rows and how
// many bytes of them were read; a transcript that cannot be archived is a
// warning. st has the real clock: an append is dated by when it was made.
func archiveAll(ctx context.Context, st *store.Store, convs []*conversation, o Options) (n int, bytes int64) {
	var mu sync.Mutex
	work := make(chan *conversation)
	var wg sync.WaitGroup
	for range max(runtime.GOMAXPROCS(0), 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				got, err := archive.Append(st, c.id, c.path)
				mu.Lock()
				if err != nil {
					warn(o.Warnings, "not archiving %s: %v", c.path, err)
				} else if got.Bytes > 0 {
					n++
					bytes += got.Bytes
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range convs {
		if ctx.Err() != nil || (!o.Since.IsZero() && c.last.Before(o.Since)) {
			continue
		}
		work <- c
	}
	close(work)
	wg.Wait()
	return n, bytes
}
