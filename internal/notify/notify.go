// Package notify sends the desktop notifications of sess: a session that
// went stale, a session parked for long. It keeps the cooldown of
// notify_state.json, so a check run every hour tells of each session once
// per cooldown, and it reports in its result what no notifier could deliver.
// `sess-manage check-notify` and `sess-cleanup` share it.
package notify

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Notifier shows one notification.
type Notifier interface {
	Notify(ctx context.Context, title, message string) error
}

// System returns the desktop's notifier: osascript on macOS, notify-send on
// Linux when installed, else nil.
func System() Notifier {
	switch runtime.GOOS {
	case "darwin":
		if p, err := exec.LookPath("osascript"); err == nil {
			return osascript(p)
		}
	case "linux", "freebsd", "openbsd", "netbsd":
		if p, err := exec.LookPath("notify-send"); err == nil {
			return notifySend(p)
		}
	}
	return nil
}

type osascript string

func (o osascript) Notify(ctx context.Context, title, message string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	script := fmt.Sprintf("display notification %s with title %s", appleString(message), appleString(title))
	return exec.CommandContext(ctx, string(o), "-e", script).Run()
}

// appleString quotes s as an AppleScript string literal.
func appleString(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ").Replace(s)
	return `"` + s + `"`
}

type notifySend string

func (n notifySend) Notify(ctx context.Context, title, message string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, string(n), "--app-name=sess", "--", title, message).Run()
}

// Reasons a session is notified about.
const (
	ReasonStale   = "stale"
	ReasonParked  = "parked"
	ReasonWaiting = "waiting" // sess only: a conversation waits for the user
)

// Notice is one notification, sent or due.
type Notice struct {
	SessionID string `json:"session_id"`
	Reason    string `json:"reason"`
	Title     string `json:"title"`
	Message   string `json:"message"`
}

// Result is what a check did.
type Result struct {
	Status         string `json:"status"` // "disabled" or "checked"
	StaleNotified  int    `json:"stale_notified"`
	ParkedNotified int    `json:"parked_notified"`
	// WaitingNotified counts the conversations told about that wait for the
	// user longer than waiting_notify_minutes (sess only; left out at 0).
	WaitingNotified int      `json:"waiting_notified,omitempty"`
	Undelivered     []Notice `json:"undelivered,omitempty"` // due, but no notifier could show them
}

// Options tune a check.
type Options struct {
	Force  bool // check even when notifications_enabled is false
	DryRun bool // send nothing, write nothing: report what is due as undelivered
}

// Check notifies of stale sessions and of sessions parked longer than
// parked_notify_hours, each at most once per notify_cooldown_hours (or again
// when its reason changes). With a nil notifier, or one that fails, the
// notices are returned as undelivered and not recorded, so they are due
// again next time.
func Check(ctx context.Context, st *store.Store, n Notifier, opts Options) (*Result, error) {
	cfg := st.Config().Settings
	if !cfg.NotificationsEnabled && !opts.Force {
		return &Result{Status: "disabled"}, nil
	}
	stale, err := st.Stale(cfg.StaleThresholdHours)
	if err != nil {
		return nil, err
	}
	parked, err := st.LongParked(cfg.ParkedNotifyHours)
	if err != nil {
		return nil, err
	}
	waiting, err := st.LongWaiting(cfg.WaitingNotifyAfter())
	if err != nil {
		return nil, err
	}
	now := st.Now()
	var due []Notice
	for _, s := range waiting {
		live := session.LiveState(s, now, cfg.StaleThresholdHours)
		// The wait's start in the reason: a new wait is told of again.
		due = append(due, Notice{s.SessionID, ReasonWaiting + " since " + live.Since, "Claude Code waits for you",
			fmt.Sprintf("%s: %q — %s (for %s)", s.ProjectSlug, s.Intent, live.Reason, sinceMinutes(now, live.Since))})
	}
	for _, s := range stale {
		due = append(due, Notice{s.SessionID, ReasonStale, "Stale session",
			fmt.Sprintf("%s: %q — no heartbeat for %s", s.ProjectSlug, s.Intent, since(now, s.LastHeartbeat))})
	}
	for _, s := range parked {
		due = append(due, Notice{s.SessionID, ReasonParked, "Parked session waiting",
			fmt.Sprintf("%s: %q — parked for %s", s.ProjectSlug, s.Intent, since(now, session.Deref(s.EndedAt)))})
	}
	res := &Result{Status: "checked"}
	cooldown := time.Duration(cfg.NotifyCooldownHours) * time.Hour
	err = st.UpdateNotifyState(opts.DryRun, func(state map[string]store.NotifyEntry) error {
		current := make(map[string]bool, len(due))
		for _, d := range due {
			current[d.SessionID] = true
			if prev, ok := state[d.SessionID]; ok && prev.Reason == d.Reason {
				t, err := session.ParseTime(prev.NotifiedAt)
				if err == nil && (now.Sub(t) < cooldown || strings.HasPrefix(d.Reason, ReasonWaiting)) {
					continue // told already (of a wait: once)
				}
			}
			if n == nil || opts.DryRun || n.Notify(ctx, d.Title, d.Message) != nil {
				res.Undelivered = append(res.Undelivered, d)
				continue
			}
			state[d.SessionID] = store.NotifyEntry{Reason: d.Reason, NotifiedAt: session.FormatTime(now)}
			switch {
			case d.Reason == ReasonStale:
				res.StaleNotified++
			case d.Reason == ReasonParked:
				res.ParkedNotified++
			default:
				res.WaitingNotified++
			}
		}
		for id := range state {
			if !current[id] {
				delete(state, id) // no longer stale or parked: forget it
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// since tells how long ago a timestamp was, in hours or days.
func since(now time.Time, ts string) string {
	t, err := session.ParseTime(ts)
	if err != nil {
		return "a while"
	}
	h := int(now.Sub(t).Hours())
	if h >= 48 {
		return fmt.Sprintf("%d days", h/24)
	}
	return fmt.Sprintf("%d h", h)
}

// sinceMinutes tells how long ago a timestamp was, in minutes or hours.
func sinceMinutes(now time.Time, ts string) string {
	t, err := session.ParseTime(ts)
	if err != nil {
		return "a while"
	}
	if m := int(now.Sub(t).Minutes()); m < 120 {
		return fmt.Sprintf("%d min", m)
	}
	return since(now, ts)
}
