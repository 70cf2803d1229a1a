// Package exporter writes exports: one session or project to a writer or a
// file, and every parked or completed session to its own Markdown file for a
// searchable archive. sess-export, `sess-manage export` and `sess-manage
// export-all` all run it; the formatting itself is pkg/export's.
//
// The rule it keeps: a path never leaves the output folder (ids and slugs are
// validated again, symlinked folders are refused), every file is written
// whole (temp file and rename), and a failure on one session is reported
// while the others are still exported.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/store"
)

// Markdown is a Markdown document, printed as it is.
type Markdown string

// Target formats a session (a target starting with "sess_") or every session
// of a project (the newest limit, 0 for all) as JSON (a value to encode) or
// Markdown.
func Target(st *store.Store, target, format string, includeArchived bool, limit int) (any, error) {
	if format != "json" && format != "markdown" {
		return nil, &store.Error{Code: store.CodeValidation, Field: "format", Message: fmt.Sprintf("want json or markdown (got %q)", format)}
	}
	if strings.HasPrefix(target, "sess_") {
		sess, err := st.Session(target)
		if err != nil {
			return nil, err
		}
		if format == "markdown" {
			return Markdown(export.SessionMarkdown(sess, 1)), nil
		}
		return export.Session(sess), nil
	}
	sessions, err := st.List(store.Filter{Project: target, IncludeArchived: includeArchived, Limit: limit})
	if err != nil {
		return nil, err
	}
	if len(sessions) == 0 {
		return nil, &store.Error{Code: store.CodeNotFound, Message: fmt.Sprintf("no sessions found for project %s", target)}
	}
	if format == "markdown" {
		return Markdown(export.ProjectMarkdown(target, sessions)), nil
	}
	return export.Project(target, sessions, st.Now()), nil
}

// WriteFile writes data to path whole: a temp file beside it, mode 0600,
// renamed over it. Exports are derived data, so there is no fsync.
func WriteFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// Options choose what All exports.
type Options struct {
	OutputDir string
	Project   string // only this project
	Since     string // only sessions started on or after this day (YYYY-MM-DD)
	Force     bool   // write every file, up to date or not
	Flat      bool   // all files in OutputDir, no folder per project
	Progress  io.Writer
}

// Result is what All did.
type Result struct {
	Exported  int      `json:"exported"`
	Skipped   int      `json:"skipped"`
	Errors    []string `json:"errors"`
	OutputDir string   `json:"output_dir"`
}

// maxErrors bounds the errors a Result lists.
const maxErrors = 100

// job is one session to consider.
type job struct {
	id       string
	path     string // the session file
	archived bool
}

// All writes one Markdown file with YAML front matter per parked or
// completed session, archived ones included, under OutputDir/<slug>/ (or
// flat). A file newer than its session file is up to date and skipped
// unless Force: a session changed after its export (parked, then resumed
// and completed) is exported again. A second run with nothing new reads the
// index, lists the output folders and stats the session files; it decodes
// no session.
func All(ctx context.Context, st *store.Store, o Options) (*Result, error) {
	if o.Project != "" {
		if err := store.ValidateSlug(o.Project); err != nil {
			return nil, err
		}
	}
	if len(o.Since) > 10 {
		// The original takes any ISO timestamp: its day is what counts.
		if t, err := store.ParseTime(o.Since); err == nil {
			o.Since = t.UTC().Format("2006-01-02")
		}
	}
	if o.Since != "" {
		if err := store.ValidateSince(o.Since); err != nil {
			return nil, err
		}
	}
	out, err := outputDir(o.OutputDir)
	if err != nil {
		return nil, err
	}
	res := &Result{Errors: []string{}, OutputDir: out}
	jobs, err := candidates(st, o)
	if err != nil {
		return nil, err
	}
	existing := existingExports(out, o.Flat)

	var (
		mu       sync.Mutex
		done     atomic.Int64
		dirsMade sync.Map
	)
	fail := func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if len(res.Errors) < maxErrors {
			res.Errors = append(res.Errors, fmt.Sprintf("%s: %v", id, err))
		}
	}
	progress := newProgress(o.Progress, len(jobs))
	work := func(j job) {
		defer func() { progress.tick(done.Add(1)) }()
		target, ok := existing[j.id]
		if ok && !o.Force {
			if sfi, err := os.Stat(j.path); err == nil && !target.mtime.Before(sfi.ModTime()) {
				mu.Lock()
				res.Skipped++
				mu.Unlock()
				return
			}
		}
		data, err := os.ReadFile(j.path)
		if err != nil {
			fail(j.id, err)
			return
		}
		sess, err := store.DecodeSession(data)
		if err != nil {
			fail(j.id, err)
			return
		}
		if sess.Status == store.StatusActive || (o.Project != "" && sess.ProjectSlug != o.Project) {
			mu.Lock()
			res.Skipped++
			mu.Unlock()
			return
		}
		dir := out
		if !o.Flat {
			dir = filepath.Join(out, sess.ProjectSlug)
			if _, made := dirsMade.Load(dir); !made {
				if err := safeDir(dir); err != nil {
					fail(j.id, err)
					return
				}
				dirsMade.Store(dir, true)
			}
		}
		path := filepath.Join(dir, sess.SessionID+".md")
		if ok && target.path != path && !o.Flat {
			os.Remove(target.path) // the session moved to another project folder
		}
		if err := WriteFile(path, []byte(export.RecallMarkdown(sess))); err != nil {
			fail(j.id, err)
			return
		}
		mu.Lock()
		res.Exported++
		mu.Unlock()
	}
	parallel(ctx, jobs, work)
	progress.end()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// candidates lists the sessions to consider: the parked and completed ones
// of the index, and the archived ones (whose folder holds only completed
// sessions), cut by project and start day where the index or the id tells.
func candidates(st *store.Store, o Options) ([]job, error) {
	index, err := st.Entries()
	if err != nil {
		return nil, err
	}
	var jobs []job
	for id, e := range index {
		if store.ValidateSessionID(id) != nil || e.Status == store.StatusActive || (o.Project != "" && e.ProjectSlug != o.Project) {
			continue
		}
		if o.Since != "" && !startedSince(e.StartedAt, o.Since) {
			continue
		}
		jobs = append(jobs, job{id: id, path: st.SessionPath(id)})
	}
	names, err := readNames(st.ArchiveDir())
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		id, ok := strings.CutSuffix(n, ".json")
		if !ok || store.ValidateSessionID(id) != nil {
			continue
		}
		if _, live := index[id]; live {
			continue
		}
		// The id carries the start minute: "sess_YYYYMMDD...".
		if o.Since != "" && id[5:9]+"-"+id[9:11]+"-"+id[11:13] < o.Since {
			continue
		}
		jobs = append(jobs, job{id: id, path: filepath.Join(st.ArchiveDir(), n), archived: true})
	}
	return jobs, nil
}

func startedSince(startedAt, since string) bool {
	t, err := store.ParseTime(startedAt)
	if err != nil {
		return len(startedAt) >= 10 && startedAt[:10] >= since
	}
	return t.UTC().Format("2006-01-02") >= since
}

type exported struct {
	path  string
	mtime time.Time
}

// existingExports maps session id to the export file there is for it.
func existingExports(out string, flat bool) map[string]exported {
	m := make(map[string]exported)
	add := func(dir string) {
		d, err := os.Open(dir)
		if err != nil {
			return
		}
		entries, _ := d.ReadDir(-1)
		d.Close()
		for _, e := range entries {
			id, ok := strings.CutSuffix(e.Name(), ".md")
			if !ok || !e.Type().IsRegular() || store.ValidateSessionID(id) != nil {
				continue
			}
			if fi, err := e.Info(); err == nil {
				m[id] = exported{filepath.Join(dir, e.Name()), fi.ModTime()}
			}
		}
	}
	add(out)
	if !flat {
		names, _ := readNames(out)
		for _, n := range names {
			if store.ValidateSlug(n) == nil {
				if fi, err := os.Lstat(filepath.Join(out, n)); err == nil && fi.IsDir() {
					add(filepath.Join(out, n))
				}
			}
		}
	}
	return m
}

func readNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

// outputDir makes the output folder (0700) and refuses one that is a
// symlink or not a folder.
func outputDir(dir string) (string, error) {
	if dir == "" {
		return "", &store.Error{Code: store.CodeValidation, Field: "output_dir", Message: "must not be empty"}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := safeDir(abs); err != nil {
		return "", &store.Error{Code: store.CodeValidation, Field: "output_dir", Message: err.Error()}
	}
	return abs, nil
}

// safeDir makes dir (0700) unless it is there, and refuses a symlink or a
// file in its place.
func safeDir(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		fi, err = os.Lstat(dir)
		if err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symlink; refusing to write through it", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

// parallel runs work on every job, on every core, until ctx ends.
func parallel(ctx context.Context, jobs []job, work func(job)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < max(2, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				work(jobs[i])
			}
		}()
	}
	wg.Wait()
}

// progress shows count, rate and time left on a terminal.
type progress struct {
	w     io.Writer
	total int
	start time.Time
	last  atomic.Int64 // unix nanos of the last line
	mu    sync.Mutex
}

func newProgress(w io.Writer, total int) *progress {
	if w == nil || !isTerminal(w) {
		return &progress{}
	}
	return &progress{w: w, total: total, start: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&fs.ModeCharDevice != 0
}

func (p *progress) tick(done int64) {
	if p.w == nil {
		return
	}
	now := time.Now()
	if last := p.last.Load(); now.UnixNano()-last < int64(100*time.Millisecond) && int(done) != p.total {
		return
	}
	p.last.Store(now.UnixNano())
	p.mu.Lock()
	defer p.mu.Unlock()
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / max(el, 1e-3)
	eta := float64(p.total-int(done)) / max(rate, 1e-3)
	fmt.Fprintf(p.w, "\rsess-export: %d/%d sessions, %.0f/s, %.0fs left ", done, p.total, rate, eta)
}

func (p *progress) end() {
	if p.w != nil {
		fmt.Fprintln(p.w)
	}
}
