package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/exporter"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/jsonout"
	"github.com/sess-dev/sess/pkg/store/overview"
	"github.com/sess-dev/sess/web"
)

// Server serves one store.
type Server struct {
	st      *store.Store
	v       *store.View     // the store, read
	hosts   map[string]bool // Host headers accepted
	events  *hub
	log     io.Writer
	handler http.Handler
	cache   *responseCache
	renders chan struct{} // a token for each answer being computed
	pages   lane          // the answers read from the store: renders and cache
	costs   lane          // the answers read from the transcripts (cost.go)
	archive archiveMemo   // what the history needs of each archived session
	// transcripts is Claude Code's projects folder, where a conversation's
	// live transcript is looked for; "" reads only the store's archive.
	transcripts string
	getenv      func(string) string // Options.Getenv
	warned      warnOnce            // the costings' warnings said so far
	shared      *sharedJournal      // the other machines' parts (machines.go)
}

// Options are what a server reads besides its store.
type Options struct {
	// Transcripts is Claude Code's projects folder (~/.claude/projects);
	// "" for none: conversations are read from the store's archive alone.
	Transcripts string
	// Getenv reads CLAUDE_CONFIG_DIR and HOME, which say which of Claude
	// Code's projects folders the money on the page is read from
	// (usage.ProjectRoots), as ccusage reads them; looked at before every
	// costing, so that a folder Claude Code makes later is found. nil:
	// Transcripts alone.
	Getenv func(string) string
	// SyncDir is the folder shared with the user's other machines
	// (internal/replica), over machine.json's sync_dir; "" for that one.
	// With one, the page shows every machine's sessions, and this
	// machine's part is published on every change while Run runs.
	SyncDir string
	// Version is sess's, written in the part's manifest.
	Version string
}

// limits bound what a server holds at once, so that its memory depends on
// the store and not on what or how much clients ask.
type limits struct {
	cacheEntries int // answers kept
	cacheBytes   int // bytes of the kept answers' bodies, in all
	streams      int // open event streams
	renders      int // answers computed at once
}

// The defaults keep sess-serve under 60 MiB of RSS on a 10,000-session store
// whatever the query strings (bench/serve-rss.sh). There the overview is a
// 4 MB body whose computing holds ~12 MB, and an activity answer at most
// 93 KB: the cache holds the overview and every window the page asks for
// several times over, and two computations at once keep both cores busy
// without letting a burst of requests hold one computation's memory each.
const (
	defaultCacheEntries = 64
	defaultCacheBytes   = 16 << 20
	defaultStreams      = 64
	defaultRenders      = 2
)

func defaultLimits() limits {
	return limits{cacheEntries: defaultCacheEntries, cacheBytes: defaultCacheBytes, streams: defaultStreams, renders: defaultRenders}
}

// New makes a server over st that answers requests for addr (host:port).
func New(st *store.Store, addr string, log io.Writer) (*Server, error) {
	return newServer(st, addr, log, defaultLimits())
}

func newServer(st *store.Store, addr string, log io.Writer, lim limits) (*Server, error) {
	hosts, err := allowedHosts(addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		st:      st,
		v:       st.View(),
		hosts:   hosts,
		log:     log,
		events:  newHub(st, log, lim.streams),
		shared:  newSharedJournal(st, log),
		cache:   newResponseCache(lim.cacheEntries, lim.cacheBytes),
		renders: make(chan struct{}, max(lim.renders, 1)),
		archive: archiveMemo{m: map[string]memoEntry{}},
	}
	s.pages = lane{slots: s.renders, cache: s.cache, stamp: s.pageStamp}
	s.costs = lane{slots: make(chan struct{}, costSlots), cache: newResponseCache(costCacheEntries, costCacheBytes), stamp: s.costStamp}
	s.events.stamp, s.events.extra = s.pageStamp, s.shared.watchFolders
	s.handler = s.routes()
	return s, nil
}

// journal is every machine's journal: the store, and the other machines'
// parts when a shared folder is set.
func (s *Server) journal() *replica.Journal { return s.shared.journal() }

// pageStamp moves whenever an answer read from the journal could: the
// store's fingerprint, and each other machine's part's (machines.go).
func (s *Server) pageStamp() string { return stampOf(s.journal()) }

// allowedHosts lists the Host headers a server on addr answers: the
// loopback names with its port, and addr itself when the user chose another.
func allowedHosts(addr string) (map[string]bool, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	hosts := map[string]bool{}
	for _, h := range []string{"localhost", "127.0.0.1", "[::1]"} {
		hosts[h+":"+port] = true
	}
	if host != "" && host != "0.0.0.0" && host != "::" {
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		hosts[host+":"+port] = true
	}
	return hosts, nil
}

// ServeHTTP checks the Host header, sets the security headers and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !s.hosts[strings.ToLower(r.Host)] {
		writeError(w, http.StatusMisdirectedRequest, "FORBIDDEN_HOST", "this server answers only "+s.hostList())
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "the dashboard is read-only")
		return
	}
	s.handler.ServeHTTP(w, r)
}

func (s *Server) hostList() string {
	var l []string
	for h := range s.hosts {
		l = append(l, h)
	}
	return strings.Join(l, ", ")
}

func (s *Server) routes() http.Handler {
	r := httprouter.New()
	r.RedirectTrailingSlash = false
	r.HandleMethodNotAllowed = false
	// Every page and answer takes HEAD too, as ServeHTTP lets it through;
	// the event stream does not.
	get := func(path string, h http.Handler) {
		r.Handler(http.MethodGet, path, h)
		r.Handler(http.MethodHead, path, h)
	}
	static, _ := fs.Sub(web.Assets, "static")
	files := http.FileServer(http.FS(static))
	get("/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, req)
	}))
	for _, f := range []string{"/app.js", "/app.css", "/favicon.svg"} {
		get(f, files)
	}
	get("/api/overview", s.jsonRoute(s.overviewQuery))
	get("/api/activity", s.jsonRoute(s.activityQuery))
	get("/api/session/:id", s.jsonRoute(s.sessionQuery))
	get("/api/session/:id/conversation", s.jsonRoute(s.conversationQuery))
	get("/api/session/:id/cost", s.costRoute(s.sessionCostQuery))
	get("/api/usage", s.costRoute(s.usageQuery))
	get("/api/thread/:id", s.jsonRoute(s.threadQuery))
	get("/api/sessions", s.jsonRoute(s.sessionsQuery))
	get("/api/search", s.jsonRoute(s.searchQuery))
	get("/api/projects", s.jsonRoute(s.projectsQuery))
	get("/api/unregistered", s.jsonRoute(s.unregisteredQuery))
	get("/api/export/session/:id", http.HandlerFunc(s.exportSession))
	get("/api/export/project/:slug", http.HandlerFunc(s.exportProject))
	get("/api/export/conversation/:id", http.HandlerFunc(s.exportConversation))
	r.Handler(http.MethodGet, "/api/events", http.HandlerFunc(s.events.serve))
	r.NotFound = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, string(session.CodeNotFound), "no such page")
	})
	r.PanicHandler = func(w http.ResponseWriter, _ *http.Request, v any) {
		fmt.Fprintf(s.log, "sess-serve: panic: %v\n", v)
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "internal error")
	}
	return r
}

// A query reads the parameters its route answers by, and only those, into
// the answer's cache key and the function that computes it. The key holds
// the parsed values, not the URL's text, so that URLs that ask the same
// (days=30, days=030, days=30&cb=1) share one entry. An empty key is not
// cached.
type query func(r *http.Request) (key string, compute func() (any, error), err error)

// overviewQuery answers the overview of every machine: this one's, with
// each other machine's sessions in the project they are of, marked with
// their machine (replica.Journal.Overview), and after the original's
// fields "machines", the other machines (machineInfo), when there are any.
func (s *Server) overviewQuery(*http.Request) (string, func() (any, error), error) {
	return "overview", func() (any, error) {
		j := s.journal()
		ov, err := j.Overview()
		if err != nil || len(j.Others) == 0 {
			return ov, err
		}
		return withMember(ov, "machines", machinesInfo(j.Others))
	}, nil
}

func (s *Server) activityQuery(r *http.Request) (string, func() (any, error), error) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return "", nil, &session.Error{Code: session.CodeValidation, Field: "days", Message: "must be a number"}
		}
		days = n
	}
	return "activity?days=" + strconv.Itoa(days), func() (any, error) { return s.activity(s.journal(), days) }, nil
}

// activity is every machine's work per project per day: each part's
// summed into this machine's, day by day and project by slug.
func (s *Server) activity(j *replica.Journal, days int) (*overview.Activity, error) {
	a, err := overview.ReadActivity(s.st, days)
	if err != nil {
		return nil, err
	}
	for _, m := range j.Others {
		theirs, err := overview.ActivityOf(m.Store.View(), days)
		if err != nil {
			continue // a part that cannot be read was warned of by its store
		}
		addActivity(a, theirs)
	}
	return a, nil
}

// sessionQuery is not cached: a page opens one session at a time, and a
// cache would fill with sessions nobody asks for twice. Another machine's
// session is found too, marked with its machine.
func (s *Server) sessionQuery(r *http.Request) (string, func() (any, error), error) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	return "", func() (any, error) {
		sess, _, err := s.journal().Session(id)
		return sess, err
	}, nil
}

// threadQuery answers a session's thread across machines (a thread begun
// on one machine may go on on another), and after the thread's fields
// "machines": the machine of each session of another machine's, by id.
func (s *Server) threadQuery(r *http.Request) (string, func() (any, error), error) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	return "", func() (any, error) {
		thread, err := s.journal().Thread(id)
		if err != nil {
			return nil, err
		}
		out := export.Thread(id, thread)
		machines := map[string]string{}
		for _, sess := range thread {
			if sess.Machine != nil {
				machines[sess.SessionID] = *sess.Machine
			}
		}
		if len(machines) == 0 {
			return out, nil
		}
		return withMember(out, "machines", machines)
	}, nil
}

// jsonRoute serves the answer to q with an ETag.
func (s *Server) jsonRoute(q query) http.Handler { return s.laneRoute(&s.pages, q) }

// laneRoute serves the answer to q, computed in l, with an ETag.
func (s *Server) laneRoute(l *lane, q query) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, compute, err := q(r)
		if err != nil {
			writeStoreError(w, err)
			return
		}
		c, err := l.answer(r.Context(), key, compute)
		if err != nil {
			writeStoreError(w, err)
			return
		}
		serveBody(w, r, c.ctype, c.body, c.etag)
	})
}

// answer is the cached answer for key while the store has not changed since
// it was made (a few stats tell), so that a page polling an unchanged store
// costs next to nothing; else it computes one, holding a render slot, so
// that a burst of requests waits instead of holding one computation's
// memory each.
func (s *Server) answer(ctx context.Context, key string, compute func() (any, error)) (cached, error) {
	return s.pages.answer(ctx, key, compute)
}

// A lane computes answers of one kind: at most cap(slots) at once, kept in
// cache while stamp, which says cheaply what they were made from, does not
// move. Answers that read the transcripts have a lane of their own
// (cost.go), so that their passes never take the slots the rest waits on.
type lane struct {
	slots chan struct{}
	cache *responseCache
	stamp func() string
}

// answer is the lane's answer for key: the kept one if its stamp holds,
// else one computed in a slot. An empty key is computed every time.
func (l *lane) answer(ctx context.Context, key string, compute func() (any, error)) (cached, error) {
	var fp string
	if key != "" {
		fp = l.stamp()
		if c, ok := l.cache.get(key, fp); ok {
			return c, nil
		}
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return cached{}, fmt.Errorf("wait to compute the answer: %w", ctx.Err())
	}
	defer func() { <-l.slots }()
	if key != "" {
		// The requests that waited for the same answer find it made.
		if c, ok := l.cache.get(key, fp); ok {
			return c, nil
		}
	}
	c, err := render(compute, fp)
	if err == nil && key != "" {
		l.cache.put(key, c)
	}
	return c, err
}

// render computes an answer: Markdown as it is, anything else as JSON.
func render(compute func() (any, error), fp string) (cached, error) {
	v, err := compute()
	if err != nil {
		return cached{}, err
	}
	if md, ok := v.(exporter.Markdown); ok {
		body := []byte(md)
		return cached{fingerprint: fp, body: body, etag: etagOf(body), ctype: markdownType}, nil
	}
	if b, ok := v.(encoded); ok {
		return cached{fingerprint: fp, body: b, etag: etagOf(b), ctype: jsonType}, nil
	}
	body, err := jsonout.Marshal(v)
	if err != nil {
		return cached{}, fmt.Errorf("encode the answer: %w", err)
	}
	return cached{fingerprint: fp, body: body, etag: etagOf(body), ctype: jsonType}, nil
}

const (
	jsonType     = "application/json; charset=utf-8"
	markdownType = "text/markdown; charset=utf-8"
)

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// serveBody writes body with its ETag, or 304 when the client has it.
func serveBody(w http.ResponseWriter, r *http.Request, ctype string, body []byte, etag string) {
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" {
		for _, m := range strings.Split(match, ",") {
			if m = strings.TrimSpace(m); m == etag || m == "*" || strings.TrimPrefix(m, "W/") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func (s *Server) exportSession(w http.ResponseWriter, r *http.Request) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	if err := session.ValidateSessionID(id); err != nil {
		writeStoreError(w, err)
		return
	}
	s.export(w, r, id, id+".md", false, 0)
}

func (s *Server) exportProject(w http.ResponseWriter, r *http.Request) {
	slug := httprouter.ParamsFromContext(r.Context()).ByName("slug")
	if err := session.ValidateSlug(slug); err != nil {
		writeStoreError(w, err)
		return
	}
	q := r.URL.Query()
	archived := q.Get("include_archived") == "true" || q.Get("include_archived") == "1"
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			writeError(w, http.StatusBadRequest, string(session.CodeValidation), "limit: must be between 1 and 500")
			return
		}
		limit = n
	}
	s.export(w, r, slug, slug+"-sessions.md", archived, limit)
}

// export serves a session or project export; Markdown as an attachment.
// Exports are not cached (each is asked for once), but computed in a
// render slot like every answer. They read every machine's journal, as
// `sess-manage export` does: another machine's session, and a project's
// sessions of every machine, each marked.
func (s *Server) export(w http.ResponseWriter, r *http.Request, target, filename string, archived bool, limit int) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	c, err := s.answer(r.Context(), "", func() (any, error) {
		return exporter.TargetIn(replica.Sessions{J: s.journal()}, target, format, archived, limit, nil)
	})
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if c.ctype == markdownType {
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	serveBody(w, r, c.ctype, c.body, c.etag)
}

// writeStoreError writes err as {"error","code"} with the status of its code.
func writeStoreError(w http.ResponseWriter, err error) {
	e := cli.ErrorOf(err)
	writeError(w, e.Code.HTTPStatus(), string(e.Code), e.Error)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := jsonout.Marshal(map[string]string{"error": msg, "code": code})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// Run serves st on addr until ctx ends or SIGINT/SIGTERM arrives; a second
// signal stops at once. It listens first, so that a busy port is an error
// before anything else. With a shared folder (opts.SyncDir, else
// machine.json's), it publishes this machine's part of it on every change
// meanwhile (publish.go).
//
// Process-wide settings (the collector, the memory limit) are the binary's:
// cmd/sess-serve sets them, not Run.
func Run(ctx context.Context, st *store.Store, addr string, stdout, log io.Writer, opts Options) error {
	s, err := New(st, addr, log)
	if err != nil {
		return err
	}
	s.transcripts, s.getenv, s.shared.dir = opts.Transcripts, opts.Getenv, opts.SyncDir
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	go s.events.run(ctx)
	go s.publish(ctx, opts.Version)
	fmt.Fprintf(stdout, "sess-serve: dashboard on http://%s/\n", displayAddr(ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal now ends the process
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.events.close()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err == nil && (host == "127.0.0.1" || host == "::1") {
		return "localhost:" + port
	}
	return a
}
