package export_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

func placeholder(s string) bool { return s == "(launch — sessie-start volgt)" }

// fresh is a session a hook just registered: nothing in it yet.
func fresh(id string) *session.Session {
	return &session.Session{SessionID: id, ProjectSlug: "alpha-service", Status: session.StatusActive, Intent: "(launch — sessie-start volgt)",
		StartedAt: "2026-02-13T09:00:00.000000+00:00", LastHeartbeat: "2026-02-13T09:00:00.000000+00:00", GitBranch: "main"}
}

// thread is a parked session carried on by a second one after /clear, and
// a third just begun.
func thread() []*session.Session {
	first := parkedSession()
	first.Status = session.StatusCompleted
	first.Outcome = strp("Continued in sess_20260212T1400_aaaa")
	second := fresh("sess_20260212T1400_aaaa")
	second.Intent = "Wire up OAuth: the token refresh"
	second.Events = []session.Event{
		{Timestamp: "2026-02-12T14:10:00.000000+00:00", Message: "Conversation compacted: Built the refresh loop;\ntests pending."},
		{Timestamp: "2026-02-12T14:30:00.000000+00:00", Message: "Conversation ended (clear)"},
	}
	second.Commits = []session.Commit{{SHA: "89abcdef0123456789abcdef0123456789abcdef", Message: "feat: refresh tokens", Timestamp: strp("2026-02-12T14:05:00.000000+00:00")}}
	second.CurrentActivity = strp("The refresh loop is in and its tests pass.")
	second.LastQuestion = strp("Shall I write the docs for the refresh next?")
	second.FilesChanged = []string{"internal/auth/refresh.go", "internal/auth/refresh_test.go"}
	second.Events = append(second.Events, session.Event{Timestamp: "2026-02-12T14:20:00.000000+00:00", Message: "Turn failed: rate_limit"})
	second.Tasks = []session.Task{{ID: "t1", Subject: "Token refresh", Status: session.TaskCompleted}, {ID: "t2", Subject: "Docs", Status: session.TaskPending}}
	second.Decisions = []string{"Refresh 60 s before expiry"}
	second.AwaitingAction = nil
	third := fresh("sess_20260212T1431_bbbb")
	third.AwaitingAction = strp("Claude needs your permission to use Bash")
	return []*session.Session{first, second, third}
}

func TestBriefGolden(t *testing.T) {
	t.Parallel()
	long := thread()
	for i := range 40 {
		long[1].Decisions = append(long[1].Decisions, fmt.Sprintf("Decision %d: %s", i, strings.Repeat("why ", 60)))
		long[1].NextSteps = append(long[1].NextSteps, fmt.Sprintf("Step %d", i))
		long[1].Tasks = append(long[1].Tasks, session.Task{ID: fmt.Sprint(i), Subject: fmt.Sprintf("Task %d of the long list", i), Status: session.TaskPending})
	}
	for _, tc := range []struct {
		name   string
		thread []*session.Session
		max    int
	}{
		{"brief-thread.txt", thread(), 2000},
		{"brief-cut.txt", long, 2000},
		{"brief-resumed.txt", []*session.Session{richSession()}, 2000},
		{"brief-empty.txt", []*session.Session{fresh("sess_20260213T0900_cccc")}, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := export.Brief(tc.thread, tc.max, placeholder)
			if n := utf8.RuneCountInString(out); n > tc.max {
				t.Errorf("%d characters, over %d", n, tc.max)
			}
			golden(t, tc.name, []byte(out))
		})
	}
	if out := export.Brief(long, 2000, placeholder); !strings.HasSuffix(out, "'sess-manage brief sess_20260212T1431_bbbb --all' shows all)") {
		t.Errorf("a cut brief says where the rest is:\n%s", out)
	}
}

// FuzzBrief: any thread gives a brief within the bound, of whole lines.
func FuzzBrief(f *testing.F) {
	f.Add("Fix it", "a decision", "a step", 200)
	f.Add(strings.Repeat("é", 500), strings.Repeat("x\n", 300), "", 10000)
	f.Fuzz(func(t *testing.T, intent, decision, step string, max int) {
		if max < 200 || max > 10000 {
			return
		}
		s := fresh("sess_20260213T0900_dddd")
		s.Intent = intent
		for range 30 {
			s.Decisions = append(s.Decisions, decision)
			s.NextSteps = append(s.NextSteps, step)
		}
		out := export.Brief([]*session.Session{s}, max, placeholder)
		if utf8.RuneCountInString(out) > max {
			t.Fatalf("%d characters over %d", utf8.RuneCountInString(out), max)
		}
	})
}

// TestBriefFailedTurn: a turn that failed and was not retried is said to
// have failed, never listed as done.
func TestBriefFailedTurn(t *testing.T) {
	t.Parallel()
	s := fresh("sess_20260213T0900_dddd")
	s.Intent = "Port the parser"
	s.Events = []session.Event{{Timestamp: "2026-02-13T09:10:00.000000+00:00", Message: "Turn failed: rate_limit"}}
	s.State, s.StateReason, s.StateSince = strp("rate_limited"), strp("rate_limit"), strp("2026-02-13T09:10:00.000000+00:00")
	out := export.Brief([]*session.Session{s}, 2000, placeholder)
	if !strings.Contains(out, "Last turn failed: rate_limit (2026-02-13 09:10)") || strings.Contains(out, "Done lately") {
		t.Errorf("brief:\n%s", out)
	}
}
