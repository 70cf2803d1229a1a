package importer

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	archived "github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

func runImport(t *testing.T, dir string, tr tree, dryRun bool) Summary {
	t.Helper()
	var progress bytes.Buffer
	sum, err := Run(context.Background(), dir, Options{Projects: tr.projects, DryRun: dryRun, Now: func() time.Time { return tr.now },
		Progress: &progress, Warnings: &progress})
	if err != nil {
		t.Fatalf("import: %v (%s)", err, progress.String())
	}
	return sum
}

// byConversation is the store's sessions by Claude Code's id; a
// conversation with two sessions fails the test.
func byConversation(t *testing.T, dir string) map[string]*session.Session {
	t.Helper()
	all, err := store.Open(dir, store.Options{}).View().List(store.Filter{IncludeArchived: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*session.Session{}
	for _, s := range all {
		cid := session.Deref(s.ClaudeSessionID)
		if out[cid] != nil {
			t.Errorf("conversation %s has two sessions: %s and %s", cid, out[cid].SessionID, s.SessionID)
		}
		out[cid] = s
	}
	return out
}

func TestImport(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	sum := runImport(t, dir, tr, false)
	if want, have := (Summary{Imported: 5, Skipped: 0, SkippedLines: 2}), (Summary{Imported: sum.Imported, Enriched: sum.Enriched, Skipped: sum.Skipped, Unreadable: sum.Unreadable, SkippedLines: sum.SkippedLines}); want != have {
		t.Errorf("summary: want %+v, have %+v", want, have)
	}
	got := byConversation(t, dir)
	if want, have := 5, len(got); want != have {
		t.Fatalf("sessions: want %d, have %d", want, have)
	}
	a1, a2, a3, b1, b2 := got[convA1], got[convA2], got[convA3], got[convB1], got[convB2]
	t.Run("A1", func(t *testing.T) {
		if want, have := "Fix the login redirect loop", a1.Intent; want != have {
			t.Errorf("intent: want %q, have %q", want, have)
		}
		if want, have := "webapp", a1.ProjectSlug; want != have {
			t.Errorf("project: want %q, have %q", want, have)
		}
		if want, have := tr.repo, session.Deref(a1.WorktreeRoot); want != have {
			t.Errorf("work tree: want %q, have %q", want, have)
		}
		if want, have := "Safari login loop", session.Deref(a1.Title); want != have {
			t.Errorf("title: want %q, have %q", want, have)
		}
		if want, have := []string{"src/login.go"}, a1.FilesChanged; !slices.Equal(want, have) {
			t.Errorf("files: want %v, have %v", want, have)
		}
		if len(a1.Commits) != 1 || a1.Commits[0].SHA != "1a2b3c4" || a1.Commits[0].Message != "Fix login loop" {
			t.Errorf("commits: %+v", a1.Commits)
		}
		if len(a1.Tasks) != 2 || a1.Tasks[0].Status != session.TaskCompleted || a1.Tasks[1].Subject != "Fix the cookie" {
			t.Errorf("tasks: %+v", a1.Tasks)
		}
		if want, have := "Fixed the loop: the cookie now has SameSite=Lax.", session.Deref(a1.CurrentActivity); want != have {
			t.Errorf("activity: want %q, have %q", want, have)
		}
		if want, have := "Shall I add a test?", session.Deref(a1.LastQuestion); want != have {
			t.Errorf("question: want %q, have %q", want, have)
		}
		if !slices.ContainsFunc(a1.Events, func(e session.Event) bool {
			return strings.HasPrefix(e.Message, "Conversation compacted: This session is being continued")
		}) {
			t.Errorf("no compaction event: %+v", a1.Events)
		}
		if want, have := "2026-03-02T09:00:00.000000+00:00", a1.StartedAt; want != have {
			t.Errorf("started: want %s, have %s", want, have)
		}
		if a1.Status != session.StatusCompleted || session.Deref(a1.ContinuedBy) != a2.SessionID || session.Deref(a1.Outcome) != journal.ContinuedOutcome(a2.SessionID) {
			t.Errorf("A1 is not carried on by A2: status %s, continued by %v, outcome %v", a1.Status, session.Deref(a1.ContinuedBy), session.Deref(a1.Outcome))
		}
	})
	t.Run("A2", func(t *testing.T) {
		if session.Deref(a2.Continues) != a1.SessionID {
			t.Errorf("A2 continues %q, not A1", session.Deref(a2.Continues))
		}
		if want, have := "Now add a test for the cookie", a2.Intent; want != have {
			t.Errorf("intent: want %q, have %q", want, have)
		}
		if len(a2.Tasks) != 1 || a2.Tasks[0].Subject != "Write the cookie test" || a2.Tasks[0].Status != session.TaskCompleted {
			t.Errorf("tasks: %+v", a2.Tasks)
		}
		if a2.Status != session.StatusCompleted || session.Deref(a2.Outcome) != ImportedOutcome {
			t.Errorf("status %s, outcome %q", a2.Status, session.Deref(a2.Outcome))
		}
		if want, have := "2026-03-02T09:08:00.000000+00:00", session.Deref(a2.EndedAt); want != have {
			t.Errorf("ended: want %s, have %s", want, have)
		}
	})
	t.Run("A3 still runs", func(t *testing.T) {
		if a3.Status != session.StatusActive || a3.GitBranch != "feature/x" || a3.ProjectSlug != "webapp" {
			t.Errorf("status %s, branch %s, project %s", a3.Status, a3.GitBranch, a3.ProjectSlug)
		}
	})
	t.Run("B, a folder that is gone", func(t *testing.T) {
		if b1.ProjectSlug != "notes-b" || session.Deref(b1.WorktreeRoot) != tr.gone {
			t.Errorf("project %s, work tree %s", b1.ProjectSlug, session.Deref(b1.WorktreeRoot))
		}
		if want, have := "Sort my notes on the trip", b1.Intent; want != have {
			t.Errorf("intent (copied rows skipped): want %q, have %q", want, have)
		}
		if want, have := "Notes on the trip", session.Deref(b1.Title); want != have {
			t.Errorf("title (its own summary): want %q, have %q", want, have)
		}
		if b2.Continues != nil || b1.ContinuedBy != nil {
			t.Error("B2 began without /clear: a thread of its own")
		}
	})
	for cid, s := range got {
		if strings.Contains(s.Intent, "ghp_") {
			t.Errorf("%s: a secret kept in the intent", cid)
		}
	}
}

// storeFiles is the store's sessions, file by file.
func storeFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(dir, "sessions", "sess_*.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = string(data)
	}
	return out
}

func TestImportTwiceAddsNothing(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	runImport(t, dir, tr, false)
	before := storeFiles(t, dir)
	sum := runImport(t, dir, tr, false)
	if sum.Imported != 0 || sum.Enriched != 0 || sum.Skipped != 5 {
		t.Errorf("second run: %+v", sum)
	}
	after := storeFiles(t, dir)
	if len(before) != len(after) {
		t.Fatalf("sessions: %d, then %d", len(before), len(after))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed on the second run", name)
		}
	}
}

func TestImportDryRun(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	sum := runImport(t, dir, tr, true)
	if sum.Imported != 5 || !sum.DryRun {
		t.Errorf("dry run: %+v", sum)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the store: %v", err)
	}
}

func TestImportSince(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	sum, err := Run(context.Background(), dir, Options{Projects: tr.projects, Since: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), Now: func() time.Time { return tr.now }})
	if err != nil {
		t.Fatal(err)
	}
	// B2 ends on the 2nd at 19:01, A3 on the 3rd: only A3 is kept.
	if sum.Imported != 1 || sum.Skipped != 4 {
		t.Errorf("since: %+v", sum)
	}
	if got := byConversation(t, dir); got[convA3] == nil || len(got) != 1 {
		t.Errorf("since: sessions %v", got)
	}
}

// TestImportKeepsTranscripts: an import fills the transcript archive, once;
// when Claude Code has deleted the transcripts, the archive still holds
// every row of each conversation.
func TestImportKeepsTranscripts(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	sum := runImport(t, dir, tr, false)
	if sum.Archived == 0 || sum.ArchivedBytes == 0 {
		t.Fatalf("nothing archived: %+v", sum)
	}
	if again := runImport(t, dir, tr, false); again.Archived != 0 {
		t.Errorf("the second run archived %d transcripts again", again.Archived)
	}
	lines := map[string]int{} // rows of each conversation's transcript
	for cid := range byConversation(t, dir) {
		path := findTranscript(t, tr.projects, cid)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines[cid] = bytes.Count(data, []byte("\n"))
	}
	if err := os.RemoveAll(tr.projects); err != nil {
		t.Fatal(err)
	}
	arch := archived.Of(store.Open(dir, store.Options{}))
	for cid, want := range lines {
		r, err := arch.Open(cid)
		if err != nil {
			t.Errorf("%s: not in the archive: %v", cid, err)
			continue
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if have := bytes.Count(data, []byte("\n")); have != want {
			t.Errorf("%s: %d rows archived, the transcript had %d", cid, have, want)
		}
	}
}

// findTranscript is the transcript of conversation cid under projects.
func findTranscript(t *testing.T, projects, cid string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(projects, "*", cid+".jsonl"))
	if len(matches) != 1 {
		t.Fatalf("transcript of %s: %v", cid, matches)
	}
	return matches[0]
}

// TestImportSameConversationTwice: a transcript found in two folders (a
// project folder moved, a copy) is one conversation: one session, archived
// once, and a second import adds nothing to either.
func TestImportSameConversationTwice(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	matches, _ := filepath.Glob(filepath.Join(tr.projects, "*", "*.jsonl"))
	if len(matches) == 0 {
		t.Fatal("no transcripts generated")
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(tr.projects, "-moved-elsewhere", filepath.Base(matches[0]))
	if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	old := tr.now.Add(-48 * time.Hour)
	os.Chtimes(copyPath, old, old)
	dir := filepath.Join(t.TempDir(), "dashboard")
	first := runImport(t, dir, tr, false)
	byConversation(t, dir) // fails on a conversation with two sessions
	archive := filepath.Join(dir, ".transcripts")
	size := func() int64 {
		var n int64
		entries, _ := os.ReadDir(archive)
		for _, e := range entries {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	before := size()
	second := runImport(t, dir, tr, false)
	if second.Imported != 0 || second.Archived != 0 || size() != before {
		t.Errorf("second run: %+v, archive %d → %d bytes (first: %+v)", second, before, size(), first)
	}
}

// TestImportEndsWhatItLeftRunning: a conversation still running at an
// import stays active; once it is over (its transcript quiet for an hour),
// the next import completes it as it completes the others.
func TestImportEndsWhatItLeftRunning(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	runImport(t, dir, tr, false)
	var running []string
	for cid, s := range byConversation(t, dir) {
		if s.Status == session.StatusActive {
			running = append(running, cid)
		}
	}
	if len(running) == 0 {
		t.Fatal("the tree has no running conversation")
	}
	later := tr
	later.now = tr.now.Add(2 * time.Hour)
	runImport(t, dir, later, false)
	got := byConversation(t, dir)
	for _, cid := range running {
		if s := got[cid]; s.Status != session.StatusCompleted || session.Deref(s.Outcome) != ImportedOutcome {
			t.Errorf("%s two hours later: %s, %q", cid, s.Status, session.Deref(s.Outcome))
		}
	}
}
