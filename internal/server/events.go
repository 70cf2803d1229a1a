package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// hub tells the open pages that the store changed: one watcher of the
// store's folders for all of them, its events gathered for a moment so that
// a burst of writes is one change, and a poll of the folders' times as the
// fallback for what a watcher misses (a folder created later, a file system
// without notifications).
//
// With a shared journal it watches the other machines' parts as well
// (extra): a session file the replicator renames into a part is a change
// like one of the store's. A part that appears later is watched from the
// event of its folder's making on (every event looks for new folders),
// else from the next poll.
type hub struct {
	st    *store.Store
	log   io.Writer
	max   int             // open streams at most: each holds a connection and a goroutine
	stamp func() string   // what moves with every change; nil: the store's fingerprint
	extra func() []string // folders to watch besides the store's; nil: none

	mu      sync.Mutex
	subs    map[chan uint64]bool
	version uint64
	closed  bool
}

const (
	debounce  = 150 * time.Millisecond
	pollEvery = 2 * time.Second
	keepAlive = 25 * time.Second
)

func newHub(st *store.Store, log io.Writer, maxStreams int) *hub {
	return &hub{st: st, log: log, max: maxStreams, subs: map[chan uint64]bool{}}
}

// Why a stream is refused; both are answered 503, and the page then polls.
var (
	errStreamsFull = errors.New("too many open event streams: this page polls instead")
	errShutdown    = errors.New("the server is shutting down")
)

// run watches until ctx ends.
func (h *hub) run(ctx context.Context) {
	w, err := fsnotify.NewWatcher()
	var events chan fsnotify.Event
	var errs chan error
	if err != nil {
		fmt.Fprintf(h.log, "sess-serve: no file watcher (%v); polling every %v\n", err, pollEvery)
	} else {
		defer w.Close()
		events, errs = w.Events, w.Errors
	}
	watched := map[string]bool{}
	watch := func() {
		if w == nil {
			return
		}
		for _, d := range h.folders() {
			if !watched[d] {
				if err := w.Add(d); err == nil {
					watched[d] = true
				}
			}
		}
	}
	watch()
	last := h.fingerprint()
	poll := time.NewTicker(pollEvery)
	defer poll.Stop()
	var fire <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				delete(watched, ev.Name) // a folder gone: watched again if it comes back
			}
			if h.st.View().Incidental(ev.Name) {
				continue
			}
			if h.extra != nil && ev.Has(fsnotify.Create) && isDir(ev.Name) {
				watch() // a part, or a part's folder, that has just been made
			}
			if fire == nil {
				fire = time.After(debounce)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			fmt.Fprintf(h.log, "sess-serve: watcher: %v\n", err)
		case <-fire:
			fire = nil
			last = h.fingerprint()
			h.broadcast()
		case <-poll.C:
			watch()
			if fp := h.fingerprint(); fp != last {
				last = fp
				h.broadcast()
			}
		}
	}
}

// isDir reports whether path is a folder (not a link to one).
func isDir(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.IsDir()
}

// fingerprint moves with every write: the store's fingerprint, and the
// parts' with a shared journal.
func (h *hub) fingerprint() string {
	if h.stamp != nil {
		return h.stamp()
	}
	return h.st.View().Fingerprint()
}

// folders are the folders the watcher watches: the store's, and the
// parts'.
func (h *hub) folders() []string {
	out := h.st.View().Folders()
	if h.extra != nil {
		out = append(out, h.extra()...)
	}
	return out
}

func (h *hub) broadcast() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.version++
	for c := range h.subs {
		select {
		case c <- h.version:
		default: // a slow page gets the next one
		}
	}
}

// subscribe opens a stream's channel; unsubscribe frees its slot.
func (h *hub) subscribe() (chan uint64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errShutdown
	}
	if len(h.subs) >= h.max {
		return nil, errStreamsFull
	}
	c := make(chan uint64, 1)
	h.subs[c] = true
	return c, nil
}

// streams is how many streams are open.
func (h *hub) streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *hub) unsubscribe(c chan uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[c] {
		delete(h.subs, c)
		close(c)
	}
}

// close ends every stream, so that a shutdown need not wait for them.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.subs {
		delete(h.subs, c)
		close(c)
	}
}

// serve streams change events (Server-Sent Events) to one page until it
// goes: a closed connection ends the request's context, which ends the loop
// and frees the stream's slot.
func (h *hub) serve(w http.ResponseWriter, r *http.Request) {
	c, err := h.subscribe()
	if err != nil {
		code := session.CodeTooManyStreams
		if errors.Is(err, errShutdown) {
			code = session.CodeShuttingDown
		}
		writeError(w, code.HTTPStatus(), string(code), err.Error())
		return
	}
	defer h.unsubscribe(c)
	rc := http.NewResponseController(w)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\nevent: hello\ndata: 0\n\n")
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(keepAlive)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case v, ok := <-c:
			if !ok {
				return
			}
			fmt.Fprintf(w, "event: change\ndata: %d\n\n", v)
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}
