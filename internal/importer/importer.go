package importer

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/journal/hook"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Options are what an import reads, and the outside world it uses.
type Options struct {
	Projects string    // Claude Code's projects folder
	Since    time.Time // keep the conversations whose last row is on or after it; zero: all
	DryRun   bool      // write nothing, report what would be done
	// NoArchive leaves the transcript archive as it is; by default every
	// conversation's transcript is archived (what it gained since the last
	// append), so that sess keeps it after Claude Code deletes it.
	NoArchive bool
	// Now is the real clock: a transcript changed within Recent of it is
	// a conversation that may still run, and its session stays active.
	Now func() time.Time
	// Progress gets a line now and then on a long run; Warnings one per
	// transcript that cannot be read. nil discards.
	Progress, Warnings io.Writer
}

// Recent is how long after its transcript last changed a conversation may
// still run.
const Recent = time.Hour

// Summary is what an import did, as sess-manage import prints it.
type Summary struct {
	Imported       int     `json:"imported"`
	Enriched       int     `json:"enriched"`
	Skipped        int     `json:"skipped"`
	Unreadable     int     `json:"unreadable"`
	SkippedLines   int     `json:"skipped_lines"`
	Archived       int     `json:"archived"`       // transcripts that gained rows in the archive
	ArchivedBytes  int64   `json:"archived_bytes"` // of transcript read into it
	DryRun         bool    `json:"dry_run"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
}

// ImportedOutcome is the outcome of an imported conversation's session.
const ImportedOutcome = "Conversation ended (imported)"

// clock is the store's clock during an import: the time of the row being
// recorded.
type clock struct {
	mu  sync.Mutex
	t   time.Time
	now func() time.Time
}

func (c *clock) set(t time.Time) {
	if !t.IsZero() {
		c.mu.Lock()
		c.t = t
		c.mu.Unlock()
	}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return c.now()
	}
	return c.t
}

// Run imports the conversations under o.Projects into the store in
// storeDir (see the package's doc).
func Run(ctx context.Context, storeDir string, o Options) (Summary, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	start := o.Now()
	sum := Summary{DryRun: o.DryRun}
	clk := &clock{now: o.Now}
	st := store.Open(storeDir, store.Options{Now: clk.Now, Warnings: o.Warnings, ReadOnly: o.DryRun})
	known, err := knownConversations(st)
	if err != nil {
		return sum, err
	}
	paths, err := transcripts(o.Projects)
	if err != nil {
		return sum, session.NotFound("no transcripts folder %s (give Claude Code's projects folder with --from): %v", o.Projects, err)
	}
	var convs []*conversation
	for _, path := range paths {
		c, err := survey(path)
		switch {
		case err != nil:
			warn(o.Warnings, "skipping %s: %v", path, err)
			sum.Unreadable++
		case c == nil:
			sum.Skipped++ // no conversation row of its own
		default:
			convs = append(convs, c)
		}
	}
	n := len(convs)
	convs = oneEach(convs, o.Warnings)
	sum.Skipped += n - len(convs)
	slices.SortStableFunc(convs, func(a, b *conversation) int { return a.first.Compare(b.first) })
	chain(convs)
	lastProgress := o.Now()
	for i, c := range convs {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if now := o.Now(); now.Sub(lastProgress) >= 2*time.Second {
			lastProgress = now
			warn(o.Progress, "import: %d of %d conversations", i, len(convs))
		}
		if !o.Since.IsZero() && c.last.Before(o.Since) {
			sum.Skipped++
			continue
		}
		did, lines, err := importOne(st, clk, c, known[c.id], o)
		sum.SkippedLines += lines
		if err != nil {
			warn(o.Warnings, "skipping %s: %v", c.path, err)
			sum.Unreadable++
			continue
		}
		switch did {
		case imported:
			sum.Imported++
		case enriched:
			sum.Enriched++
		default:
			sum.Skipped++
		}
	}
	if !o.DryRun && !o.NoArchive {
		warn(o.Progress, "import: archiving %d transcripts", len(convs))
		real := store.Open(storeDir, store.Options{Now: o.Now, Warnings: o.Warnings})
		sum.Archived, sum.ArchivedBytes = archiveAll(ctx, real, convs, o)
	}
	sum.ElapsedSeconds = math.Round(o.Now().Sub(start).Seconds()*100) / 100
	return sum, nil
}

// oneEach keeps one transcript of each conversation: the same id in two
// folders (a project folder moved or renamed, a copy) is one conversation,
// which must not get two sessions nor be archived twice over. The one that
// went on longest is kept, with a warning naming the other.
func oneEach(convs []*conversation, warnings io.Writer) []*conversation {
	kept := map[string]int{}
	out := convs[:0]
	for _, c := range convs {
		i, seen := kept[c.id]
		if !seen {
			kept[c.id] = len(out)
			out = append(out, c)
			continue
		}
		if prev := out[i]; c.last.After(prev.last) || (c.last.Equal(prev.last) && c.path > prev.path) {
			out[i], c = c, prev
		}
		warn(warnings, "conversation %s has a second transcript, %s: left out (the one kept: %s)", c.id, c.path, out[kept[c.id]].path)
	}
	return out
}

// outcome is what an import did with a conversation.
type outcome int

const (
	skipped outcome = iota
	imported
	enriched
)

// knownSession is the session the store holds of a conversation.
type knownSession struct {
	id       string
	archived bool
	worktree string // its work tree, which the files it recorded are relative to
}

// knownConversations maps the conversations (Claude Code's ids) the store
// holds, live or archived, to their newest session.
func knownConversations(st *store.Store) (map[string]knownSession, error) {
	v := st.View()
	refs, err := v.StoredSessions()
	if err != nil {
		return nil, err
	}
	out := map[string]knownSession{}
	started := map[string]string{}
	for _, r := range refs {
		sess, err := v.ReadStored(r)
		if err != nil || sess.ClaudeSessionID == nil {
			continue // a file that cannot be read is the store's to warn of
		}
		cid := *sess.ClaudeSessionID
		if prev, ok := out[cid]; ok && (!prev.archived && r.Archived || started[cid] > sess.StartedAt) {
			continue // the live one, else the newest
		}
		out[cid], started[cid] = knownSession{sess.SessionID, r.Archived, session.Deref(sess.WorktreeRoot)}, sess.StartedAt
	}
	return out, nil
}

// importOne imports a conversation the store does not know, or enriches
// the session of one it knows; it returns what it did and how many lines
// the reader skipped.
func importOne(st *store.Store, clk *clock, c *conversation, known knownSession, o Options) (outcome, int, error) {
	p := &replay{st: st, clk: clk, c: c, root: c.cwd, dryRun: o.DryRun}
	if known.id != "" {
		if known.archived {
			return skipped, 0, nil
		}
		p.enrich, p.sid = true, known.id
		if known.worktree != "" {
			p.root = known.worktree // its files are named from there, whatever folder the conversation ran in
		}
		if err := p.run(); err != nil {
			return skipped, p.skipped, err
		}
		ended, err := endIfOver(st, clk, c, known.id, o)
		if err != nil || (p.added == 0 && !ended) {
			return skipped, p.skipped, err
		}
		return enriched, p.skipped, nil
	}
	if o.DryRun {
		return imported, 0, nil
	}
	sid, err := launch(st, clk, c, o)
	if err != nil {
		return skipped, 0, err
	}
	p.sid = sid
	if err := p.run(); err != nil {
		return imported, p.skipped, err
	}
	return imported, p.skipped, finish(st, clk, p, o)
}

// launch registers the conversation's session as its SessionStart would
// have: its project and work tree from its folder's git repository (a
// folder that is gone is its own project), its branch from the rows, and a
// /clear's predecessor by the chain's window.
func launch(st *store.Store, clk *clock, c *conversation, o Options) (string, error) {
	if c.cwd == "" || !filepath.IsAbs(c.cwd) {
		return "", fmt.Errorf("no working folder in its rows")
	}
	clk.set(c.first)
	l := journal.Launch{ClaudeSessionID: c.id, Project: c.cwd, GitBranch: c.branch, Hooked: true, Window: c.window}
	if l.Window == "" {
		// A made-up window, as a chain has: it marks the session as the
		// import's (see endIfOver) until a hook of a resumed conversation
		// gives it a real one.
		l.Window = importWindow + c.id
	}
	worktree := filepath.Clean(c.cwd)
	if repo, ok := hookio.RepoOf(c.cwd); ok {
		l.Project, worktree = repo.Root, repo.Worktree
		if l.GitBranch == "" {
			l.GitBranch = repo.Branch
		}
		if _, err := st.RegisterProject(filepath.Base(repo.Root), repo.Root); err != nil {
			warn(o.Warnings, "not registering %s: %v", repo.Root, err)
		}
	}
	l.WorktreeRoot = &worktree
	if c.pred != nil {
		// The evidence a /clear is read by: the window ran the cleared
		// conversation last (its launch wrote it, or an earlier import
		// or the hooks recorded it).
		l.Source = journal.SourceClear
		st.Derived().RanIn(c.window, c.pred.id)
	}
	sess, _, err := journal.RegisterLaunch(st, l)
	if err != nil {
		return "", err
	}
	return sess.SessionID, nil
}

// finish gives the session its title, and ends and completes it at its
// last row's time, unless the conversation may still run, or a /clear
// carries it on (the next conversation's launch completes it).
func finish(st *store.Store, clk *clock, p *replay, o Options) error {
	if t := p.titled(); t != "" {
		if _, err := journal.Titled(st, p.sid, hook.Redacted(t)); err != nil {
			return err
		}
	}
	if o.Now().Sub(p.c.mtime) < Recent {
		return nil
	}
	clk.set(p.c.last)
	reason := "imported"
	if p.c.succ {
		reason = "clear"
	}
	sess, err := journal.ConversationEnded(st, p.sid, reason)
	if err != nil || p.c.succ || sess.Status != session.StatusActive {
		return err
	}
	_, err = st.CompleteSession(p.sid, store.Completion{Outcome: ImportedOutcome})
	return err
}

// importWindow begins the made-up windows of imported sessions.
const importWindow = "import-"

// endIfOver completes a session an earlier import made and left active
// (its conversation was running then) once the conversation is over: its
// transcript no longer changes (Recent) and nothing newer than its last
// row was recorded of it. A session the hooks record is theirs to end
// (and the cleanup's). It reports whether it completed the session.
func endIfOver(st *store.Store, clk *clock, c *conversation, id string, o Options) (bool, error) {
	if o.DryRun || c.succ || o.Now().Sub(c.mtime) < Recent {
		return false, nil
	}
	sess, err := st.View().Session(id)
	if err != nil || sess.Status != session.StatusActive || !strings.HasPrefix(session.Deref(sess.Window), importWindow) {
		return false, nil
	}
	if last, err := session.ParseTime(session.LastHook(sess)); err != nil || last.After(c.last.Add(time.Minute)) {
		return false, nil
	}
	clk.set(c.last)
	if _, err := journal.ConversationEnded(st, id, "imported"); err != nil {
		return false, err
	}
	_, err = st.CompleteSession(id, store.Completion{Outcome: ImportedOutcome})
	return err == nil, err
}

func warn(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}
