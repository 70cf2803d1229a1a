// Package server is the dashboard of sess: a read-only HTTP server over the
// store that serves the embedded page, the overview and exports as JSON, and
// a stream of change events. sess-serve and `sess-manage serve` run it.
//
// The rule it keeps: it answers only requests addressed to the loopback
// name it serves (DNS rebinding), sends every response with headers that
// forbid scripts from anywhere but itself, and never writes to the store.
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
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/exporter"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/web"
)

// Server serves one store.
type Server struct {
	st      *store.Store
	hosts   map[string]bool // Host headers accepted
	events  *hub
	log     io.Writer
	handler http.Handler

	mu    sync.Mutex
	cache map[string]cached // route -> last response, by store fingerprint
}

type cached struct {
	fingerprint string
	body        []byte
	etag        string
}

// New makes a server over st that answers requests for addr (host:port).
func New(st *store.Store, addr string, log io.Writer) (*Server, error) {
	s := &Server{st: st, log: log, cache: map[string]cached{}}
	hosts, err := allowedHosts(addr)
	if err != nil {
		return nil, err
	}
	s.hosts = hosts
	s.events = newHub(st.Dir(), log)
	s.handler = s.routes()
	return s, nil
}

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
	static, _ := fs.Sub(web.Assets, "static")
	files := http.FileServer(http.FS(static))
	r.Handler(http.MethodGet, "/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, req)
	}))
	for _, f := range []string{"/app.js", "/app.css", "/favicon.svg"} {
		r.Handler(http.MethodGet, f, files)
	}
	r.Handler(http.MethodGet, "/api/overview", s.jsonRoute("overview", func(*http.Request) (any, error) { return s.st.Overview() }))
	r.Handler(http.MethodGet, "/api/activity", s.jsonRoute("activity", func(req *http.Request) (any, error) {
		days := 30
		if v := req.URL.Query().Get("days"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, &store.Error{Code: store.CodeValidation, Field: "days", Message: "must be a number"}
			}
			days = n
		}
		return s.st.Activity(days)
	}))
	r.Handler(http.MethodGet, "/api/session/:id", s.jsonRoute("", func(req *http.Request) (any, error) {
		return s.st.Session(httprouter.ParamsFromContext(req.Context()).ByName("id"))
	}))
	r.Handler(http.MethodGet, "/api/export/session/:id", http.HandlerFunc(s.exportSession))
	r.Handler(http.MethodGet, "/api/export/project/:slug", http.HandlerFunc(s.exportProject))
	r.Handler(http.MethodGet, "/api/events", http.HandlerFunc(s.events.serve))
	r.NotFound = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, string(store.CodeNotFound), "no such page")
	})
	r.PanicHandler = func(w http.ResponseWriter, _ *http.Request, v any) {
		fmt.Fprintf(s.log, "sess-serve: panic: %v\n", v)
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "internal error")
	}
	return r
}

// jsonRoute serves what fn returns as JSON with an ETag. With a cache key,
// the body is reused until the store changes (a few stats tell), so that a
// page polling an unchanged store costs next to nothing.
func (s *Server) jsonRoute(key string, fn func(*http.Request) (any, error)) http.Handler {
	render := func(r *http.Request, fp string) (cached, error) {
		v, err := fn(r)
		if err != nil {
			return cached{}, err
		}
		body, err := store.Marshal(v)
		if err != nil {
			return cached{}, err
		}
		return cached{fingerprint: fp, body: body, etag: etagOf(body)}, nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c cached
		var err error
		if key == "" {
			c, err = render(r, "")
		} else {
			key := key + "?" + r.URL.RawQuery
			fp := s.fingerprint()
			s.mu.Lock()
			c = s.cache[key]
			s.mu.Unlock()
			if c.fingerprint != fp || c.body == nil {
				if c, err = render(r, fp); err == nil {
					s.mu.Lock()
					s.cache[key] = c
					s.mu.Unlock()
				}
			}
		}
		if err != nil {
			writeStoreError(w, err)
			return
		}
		serveBody(w, r, "application/json; charset=utf-8", c.body, c.etag)
	})
}

// fingerprint changes whenever the store does: every write renames a file
// into one of these folders, which moves the folder's mtime, or replaces
// config.json or the index.
func (s *Server) fingerprint() string {
	var b strings.Builder
	dir := s.st.Dir()
	for _, p := range []string{dir, dir + "/config.json", dir + "/sessions", dir + "/sessions/_index.json", dir + "/sessions/archive", dir + "/projects"} {
		if fi, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "%d.%d;", fi.ModTime().UnixNano(), fi.Size())
		} else {
			b.WriteString("-;")
		}
	}
	return b.String()
}

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
	if err := store.ValidateSessionID(id); err != nil {
		writeStoreError(w, err)
		return
	}
	s.export(w, r, id, id+".md", false, 0)
}

func (s *Server) exportProject(w http.ResponseWriter, r *http.Request) {
	slug := httprouter.ParamsFromContext(r.Context()).ByName("slug")
	if err := store.ValidateSlug(slug); err != nil {
		writeStoreError(w, err)
		return
	}
	q := r.URL.Query()
	archived := q.Get("include_archived") == "true" || q.Get("include_archived") == "1"
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			writeError(w, http.StatusBadRequest, string(store.CodeValidation), "limit: must be between 1 and 500")
			return
		}
		limit = n
	}
	s.export(w, r, slug, slug+"-sessions.md", archived, limit)
}

// export serves a session or project export; Markdown as an attachment.
func (s *Server) export(w http.ResponseWriter, r *http.Request, target, filename string, archived bool, limit int) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	v, err := exporter.Target(s.st, target, format, archived, limit)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if md, ok := v.(exporter.Markdown); ok {
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
		body := []byte(md)
		serveBody(w, r, "text/markdown; charset=utf-8", body, etagOf(body))
		return
	}
	body, err := store.Marshal(v)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	serveBody(w, r, "application/json; charset=utf-8", body, etagOf(body))
}

// writeStoreError writes err as {"error","code"} with the status of its code.
func writeStoreError(w http.ResponseWriter, err error) {
	e := cli.ErrorOf(err)
	status := http.StatusInternalServerError
	switch e.Code {
	case store.CodeNotFound:
		status = http.StatusNotFound
	case store.CodeValidation:
		status = http.StatusBadRequest
	case store.CodeConflict:
		status = http.StatusConflict
	}
	writeError(w, status, string(e.Code), e.Error)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := store.Marshal(map[string]string{"error": msg, "code": code})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// Run serves st on addr until ctx ends or SIGINT/SIGTERM arrives; a second
// signal stops at once. It listens first, so that a busy port is an error
// before anything else.
func Run(ctx context.Context, st *store.Store, addr string, stdout, log io.Writer) error {
	// The short-lived tools turn the collector off (cli.Main); a server
	// lives long.
	debug.SetGCPercent(100)
	s, err := New(st, addr, log)
	if err != nil {
		return err
	}
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
