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

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Markdown is a Markdown document, printed as it is.
type Markdown string

// Costs says what sessions' conversations cost, by session id (package
// cost); a session it leaves out has no cost line.
type Costs func([]*session.Session) map[string]*export.Cost

// TargetCosted formats a session (a target starting with "sess_") or every
// session of a project (the newest limit, 0 for all) as JSON (a value to
// encode) or Markdown, with each session's cost as costs says (nil: none).
func TargetCosted(st *store.Store, target, format string, includeArchived bool, limit int, costs Costs) (any, error) {
	return TargetIn(storeSessions{st.View()}, target, format, includeArchived, limit, costs)
}

// Sessions are where an export reads sessions: a store, or every
// machine's journal (internal/replica).
type Sessions interface {
	Session(id string) (*session.Session, error)
	List(f store.Filter) ([]*session.Session, error)
	Now() time.Time
}

type storeSessions struct{ v *store.View }

func (s storeSessions) Session(id string) (*session.Session, error)     { return s.v.Session(id) }
func (s storeSessions) List(f store.Filter) ([]*session.Session, error) { return s.v.List(f) }
func (s storeSessions) Now() time.Time                                  { return s.v.Now() }

// TargetIn is TargetCosted over sessions.
func TargetIn(sessions Sessions, target, format string, includeArchived bool, limit int, costs Costs) (any, error) {
	if format != "json" && format != "markdown" {
		return nil, &session.Error{Code: session.CodeValidation, Field: "format", Message: fmt.Sprintf("want json or markdown (got %q)", format)}
	}
	if strings.HasPrefix(target, "sess_") {
		sess, err := sessions.Session(target)
		if err != nil {
			return nil, err
		}
		c := costsOf(costs, []*session.Session{sess})[sess.SessionID]
		if format == "markdown" {
			return Markdown(export.SessionMarkdownWith(sess, 1, export.Extras{Cost: c})), nil
		}
		out := export.Session(sess)
		out.Cost = c
		return out, nil
	}
	list, err := sessions.List(store.Filter{Project: target, IncludeArchived: includeArchived, Limit: limit})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, &session.Error{Code: session.CodeNotFound, Message: fmt.Sprintf("no sessions found for project %s", target)}
	}
	if format == "markdown" {
		return Markdown(export.ProjectMarkdown(target, list)), nil
	}
	out := export.Project(target, list, sessions.Now())
	cs := costsOf(costs, list)
	for i := range out.Sessions {
		out.Sessions[i].Cost = cs[out.Sessions[i].SessionID]
	}
	return out, nil
}

func costsOf(costs Costs, sessions []*session.Session) map[string]*export.Cost {
	if costs == nil {
		return nil
	}
	return costs(sessions)
}

// Options choose what All exports.
type Options struct {
	OutputDir string
	Project   string // only this project
	Since     string // only sessions started on or after this day (YYYY-MM-DD)
	Force     bool   // write every file, up to date or not
	Flat      bool   // all files in OutputDir, no folder per project
	Progress  io.Writer
	// Transcripts is Claude Code's projects folder (~/.claude/projects),
	// where a session's conversation is looked for, for its highlights;
	// "" for none.
	Transcripts string
	// Costs gives each file a line of what the session's conversation
	// cost; nil for none.
	Costs Costs
}

// Result is what All did.
type Result struct {
	Exported        int      `json:"exported"`
	Skipped         int      `json:"skipped"`
	Errors          []string `json:"errors"`
	TotalRedactions int      `json:"total_redactions"` // in the highlights written
	OutputDir       string   `json:"output_dir"`
	// TranscriptsMissing counts the sessions of a Claude Code conversation
	// whose transcript is gone (Claude Code deletes them after 30 days) or
	// unreadable: exported without highlights (sess only).
	TranscriptsMissing int `json:"transcripts_missing"`
}

// DefaultOutputDir is where --all writes for a user whose home is home, as
// the original's export-all does.
func DefaultOutputDir(home string) string { return filepath.Join(home, ".claude", "session-exports") }

// DefaultTranscripts is where Claude Code keeps its conversations for a
// user whose home is home.
func DefaultTranscripts(home string) string { return filepath.Join(home, ".claude", "projects") }

// maxErrors bounds the errors a Result lists.
const maxErrors = 100

// All writes one Markdown file with YAML front matter per parked or
// completed session, archived ones included, under OutputDir/<slug>/ (or
// flat). A file newer than its session file is up to date and skipped
// unless Force: a session changed after its export (parked, then resumed
// and completed) is exported again. A second run with nothing new reads the
// index, lists the output folders and looks at the session files; it
// decodes no session.
//
// Sessions are listed and read through the store only (StoredSessions,
// ReadStored), so that a FIFO, a symlink or an oversized file in sessions/
// or sessions/archive/ is one entry in errors, as get-session refuses it,
// instead of a hang, a read of gigabytes or an export of a file outside
// the store.
func All(ctx context.Context, st *store.Store, o Options) (*Result, error) {
	o, err := checkOptions(o)
	if err != nil {
		return nil, err
	}
	out, err := outputDir(o.OutputDir)
	if err != nil {
		return nil, err
	}
	refs, err := candidates(st, o)
	if err != nil {
		return nil, err
	}
	a := &allRun{
		st:       st,
		o:        o,
		out:      out,
		existing: existingExports(out, o.Flat),
		res:      &Result{Errors: []string{}, OutputDir: out},
	}
	progress := newProgress(o.Progress, len(refs))
	var done atomic.Int64
	parallel(ctx, refs, func(r store.StoredRef) {
		a.export(r)
		progress.tick(done.Add(1))
	})
	progress.end()
	if err := ctx.Err(); err != nil {
		return a.res, err
	}
	return a.res, nil
}

// checkOptions validates the project and the day of o, taking the day of a
// full timestamp as Since.
func checkOptions(o Options) (Options, error) {
	if o.Project != "" {
		if err := session.ValidateSlug(o.Project); err != nil {
			return o, err
		}
	}
	if len(o.Since) > 10 {
		// The original takes any ISO timestamp: its day is what counts.
		if t, err := session.ParseTime(o.Since); err == nil {
			o.Since = t.UTC().Format("2006-01-02")
		}
	}
	if o.Since != "" {
		if err := store.ValidateSince(o.Since); err != nil {
			return o, err
		}
	}
	return o, nil
}

// allRun is one run of All: what it writes to and what it has done, shared
// by the workers.
type allRun struct {
	st       *store.Store
	o        Options
	out      string
	existing map[string]exported // read before the workers start; not written

	mu       sync.Mutex
	res      *Result
	dirsMade sync.Map // project folders checked or made

	cfgOnce sync.Once
	cfg     *store.Config // for the projects' folders, read once
}

// export considers one session: skips it when its export is up to date (by
// the ModTime of the listing, without reading it), else reads it through
// the store and writes its file.
func (a *allRun) export(r store.StoredRef) {
	prev, had := a.existing[r.ID]
	// A zero ModTime is a file that could not be looked at: read it, so
	// that what is wrong with it is reported.
	if had && !a.o.Force && !r.ModTime.IsZero() && !prev.mtime.Before(r.ModTime) {
		a.count(&a.res.Skipped)
		return
	}
	sess, err := a.st.View().ReadStored(r)
	if err != nil {
		a.fail(r.ID, err)
		return
	}
	// The index may be older than the file: the file has the last word.
	if sess.Status == session.StatusActive || (a.o.Project != "" && sess.ProjectSlug != a.o.Project) {
		a.count(&a.res.Skipped)
		return
	}
	dir, err := a.folder(sess.ProjectSlug)
	if err != nil {
		a.fail(r.ID, err)
		return
	}
	path := filepath.Join(dir, sess.SessionID+".md")
	if had && prev.path != path && !a.o.Flat {
		os.Remove(prev.path) // the session moved to another project folder
	}
	// writeAtomic, not WriteFile: whatever sits at the name in our own
	// folder (a FIFO, a symlink) is replaced, never written through.
	ex := a.highlights(sess)
	ex.Cost = costsOf(a.o.Costs, []*session.Session{sess})[sess.SessionID]
	if err := atomicfile.WriteFile(path, []byte(export.RecallMarkdown(sess, ex))); err != nil {
		a.fail(r.ID, err)
		return
	}
	a.count(&a.res.Exported)
}

// folder is the folder a project's exports go to, made (and checked not to
// be a symlink) once per run.
func (a *allRun) folder(slug string) (string, error) {
	if a.o.Flat {
		return a.out, nil
	}
	dir := filepath.Join(a.out, slug)
	if _, made := a.dirsMade.Load(dir); !made {
		if err := safeDir(dir); err != nil {
			return "", err
		}
		a.dirsMade.Store(dir, true)
	}
	return dir, nil
}

func (a *allRun) count(n *int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	*n++
}

// highlights are the highlights of a session's conversation, redacted, when
// its transcript is there; none (and a count) when it is not.
func (a *allRun) highlights(sess *session.Session) export.Extras {
	id := session.Deref(sess.ClaudeSessionID)
	if a.o.Transcripts == "" || id == "" {
		return export.Extras{}
	}
	a.cfgOnce.Do(func() { a.cfg = a.st.View().Config() })
	var project string
	if p, ok := a.cfg.Project(sess.ProjectSlug); ok {
		project = p.Path
	}
	path := transcript.Find(a.o.Transcripts, id, session.Deref(sess.WorktreeRoot), project)
	f, err := os.Open(path)
	if path == "" || err != nil {
		a.count(&a.res.TranscriptsMissing)
		return export.Extras{}
	}
	defer f.Close()
	turns, err := transcript.Read(f)
	if err != nil && len(turns) == 0 {
		a.count(&a.res.TranscriptsMissing)
		return export.Extras{}
	}
	h := transcript.Pick(turns, transcript.DefaultBudget)
	if h.Text != "" {
		// Kept for the search too (redacted, as written).
		if err := a.st.Derived().SaveHighlights(sess.SessionID, h.Text); err != nil {
			a.fail(sess.SessionID, err)
		}
	}
	a.mu.Lock()
	a.res.TotalRedactions += h.Redactions
	a.mu.Unlock()
	return export.Extras{Text: h.Text, Percent: h.Percent}
}

// fail lists an error of one session; the others are still exported.
func (a *allRun) fail(id string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.res.Errors) < maxErrors {
		a.res.Errors = append(a.res.Errors, fmt.Sprintf("%s: %v", id, err))
	}
}

// candidates lists the sessions to consider, as the store lists them: the
// parked and completed ones of the index, and the archived ones (whose
// folder holds only completed sessions), cut by project and start day where
// the index or the id tells.
func candidates(st *store.Store, o Options) ([]store.StoredRef, error) {
	refs, err := st.View().StoredSessions()
	if err != nil {
		return nil, err
	}
	keep := refs[:0]
	for _, r := range refs {
		if e := r.Entry; e != nil {
			if e.Status == session.StatusActive || (o.Project != "" && e.ProjectSlug != o.Project) {
				continue
			}
			if o.Since != "" && !startedSince(e.StartedAt, o.Since) {
				continue
			}
		} else if o.Since != "" && idDay(r.ID) < o.Since {
			continue
		}
		keep = append(keep, r)
	}
	return keep, nil
}

// idDay is the day a session started, from its (valid) id:
// "sess_YYYYMMDDTHHMM_xxxx" gives "YYYY-MM-DD".
func idDay(id string) string {
	return id[5:9] + "-" + id[9:11] + "-" + id[11:13]
}

func startedSince(startedAt, since string) bool {
	t, err := session.ParseTime(startedAt)
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
			if ourTemp(e.Name()) && e.Type().IsRegular() {
				removeLeftover(filepath.Join(dir, e.Name()))
				continue
			}
			id, ok := strings.CutSuffix(e.Name(), ".md")
			if !ok || !e.Type().IsRegular() || session.ValidateSessionID(id) != nil {
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
			if session.ValidateSlug(n) == nil {
				if fi, err := os.Lstat(filepath.Join(out, n)); err == nil && fi.IsDir() {
					add(filepath.Join(out, n))
				}
			}
		}
	}
	return m
}

// ourTemp reports whether name is the temp file of an export being
// written (see atomicfile.TempOf).
func ourTemp(name string) bool {
	target, ok := atomicfile.TempOf(name)
	if !ok {
		return false
	}
	id, ok := strings.CutSuffix(target, ".md")
	return ok && session.ValidateSessionID(id) == nil
}

// leftoverAge is how old an export's temp file is when no run writes it
// any more: the one that made it was killed (a write takes milliseconds;
// a run beside this one may be writing a younger one).
const leftoverAge = time.Minute

// removeLeftover removes an export's temp file that a killed run left.
func removeLeftover(path string) {
	if fi, err := os.Lstat(path); err == nil && time.Since(fi.ModTime()) > leftoverAge {
		os.Remove(path)
	}
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
		return "", &session.Error{Code: session.CodeValidation, Field: "output_dir", Message: "must not be empty"}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := safeDir(abs); err != nil {
		return "", &session.Error{Code: session.CodeValidation, Field: "output_dir", Message: err.Error()}
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

// parallel runs work on every ref, on every core, until ctx ends.
func parallel(ctx context.Context, refs []store.StoredRef, work func(store.StoredRef)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < max(2, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(refs) {
					return
				}
				work(refs[i])
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
