package notify

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
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
	// Target and Error say, for an undelivered notice, where it did not go
	// (desktop, ntfy or webhook) and why; no error on a dry run.
	Target string `json:"target,omitempty"`
	Error  string `json:"error,omitempty"`

	wait *Wait // what a push of it says: set on waits alone
}

// Result is what a check did.
type Result struct {
	Status         string `json:"status"` // "disabled" or "checked"
	StaleNotified  int    `json:"stale_notified"`
	ParkedNotified int    `json:"parked_notified"`
	// WaitingNotified counts the conversations waiting for the user longer
	// than waiting_notify_minutes that this run told of somewhere they had
	// not been told; Pushed counts the pushes that went out. sess only;
	// left out at 0.
	WaitingNotified int      `json:"waiting_notified,omitempty"`
	Pushed          int      `json:"pushed,omitempty"`
	Undelivered     []Notice `json:"undelivered,omitempty"` // due, but not delivered: due again next run
	Warnings        []string `json:"warnings,omitempty"`    // settings that cannot be used, such as a bad push URL
}

// Options tune a check.
type Options struct {
	Force  bool   // check even when notifications_enabled is false
	DryRun bool   // send nothing, write nothing: report what is due as undelivered
	Pusher Pusher // sends the pushes; nil: they are undelivered
}

// Check notifies of stale sessions and of sessions parked longer than
// parked_notify_hours, each at most once per notify_cooldown_hours (or again
// when its reason changes), and of conversations waiting longer than
// waiting_notify_minutes, once per wait. With a nil notifier, or one that
// fails, the notices are returned as undelivered and not recorded, so they
// are due again next time.
//
// Only waits are pushed (notify_ntfy_url, notify_webhook_url). A wait is
// the one thing a user away from the keyboard can act on and that costs
// while it lasts: a conversation stands still until answered. A stale
// session is closed by the cleanup job anyway, and a parked one waits by
// choice and would come back every cooldown; on a phone those are noise
// that gets the topic muted, and then the waits are missed too.
func Check(ctx context.Context, st *store.Store, n Notifier, opts Options) (*Result, error) {
	cfg := st.View().Config().Settings
	if !cfg.NotificationsEnabled && !opts.Force {
		return &Result{Status: "disabled"}, nil
	}
	due, err := dueNotices(st, cfg)
	if err != nil {
		return nil, err
	}
	targets, warnings := pushTargets(cfg)
	r := &round{
		ctx: ctx, n: n, opts: opts, now: st.View().Now(), targets: targets,
		cooldown: time.Duration(cfg.NotifyCooldownHours) * time.Hour,
		res:      &Result{Status: "checked", Warnings: warnings},
	}
	// Delivered under the state's lock: a second run waits and then sees
	// what this one told, so no wait is pushed twice.
	err = st.Derived().UpdateNotifyState(opts.DryRun, func(state map[string]derived.NotifyEntry) error {
		r.deliver(state, due)
		current := make(map[string]bool, len(due))
		for _, d := range due {
			current[d.SessionID] = true
		}
		for id := range state {
			if !current[id] {
				delete(state, id) // no longer stale, parked or waiting: forget it
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("notification state: %w", err)
	}
	return r.res, nil
}

// dueNotices are the notices of the sessions that wait, are stale or are
// parked long, longest waiting first. What they say is redacted as a push
// is: a notification center keeps them, and a cron log keeps the
// undelivered ones.
func dueNotices(st *store.Store, cfg session.Settings) ([]Notice, error) {
	v := st.View()
	stale, err := v.Stale(cfg.StaleThresholdHours)
	if err != nil {
		return nil, fmt.Errorf("stale sessions: %w", err)
	}
	parked, err := longParked(v, cfg.ParkedNotifyHours)
	if err != nil {
		return nil, fmt.Errorf("parked sessions: %w", err)
	}
	waiting, err := longWaiting(v, cfg.WaitingNotifyAfter(), cfg.StaleThresholdHours)
	if err != nil {
		return nil, fmt.Errorf("waiting sessions: %w", err)
	}
	now := v.Now()
	var due []Notice
	for _, s := range waiting {
		live := session.LiveState(s, now, cfg.StaleThresholdHours)
		w := &Wait{Project: s.ProjectSlug, Intent: clean(s.Intent), Reason: clean(live.Reason)}
		// The wait's start in the reason: a new wait is told of again.
		due = append(due, Notice{SessionID: s.SessionID, Reason: ReasonWaiting + " since " + live.Since, Title: WaitTitle,
			Message: fmt.Sprintf("%s (for %s)", w.Text(), sinceMinutes(now, live.Since)), wait: w})
	}
	for _, s := range stale {
		due = append(due, Notice{SessionID: s.SessionID, Reason: ReasonStale, Title: "Stale session",
			Message: fmt.Sprintf("%s: %q — no heartbeat for %s", s.ProjectSlug, clean(s.Intent), since(now, s.LastHeartbeat))})
	}
	for _, s := range parked {
		due = append(due, Notice{SessionID: s.SessionID, Reason: ReasonParked, Title: "Parked session waiting",
			Message: fmt.Sprintf("%s: %q — parked for %s", s.ProjectSlug, clean(s.Intent), since(now, session.Deref(s.EndedAt)))})
	}
	return due, nil
}

// clean is s with secrets and personal data taken out, as for a message
// that leaves the machine.
func clean(s string) string {
	out, _ := redact.Outbound(s)
	return out
}

// round is one check's delivery: where notices go and what came of them.
type round struct {
	ctx      context.Context
	n        Notifier
	opts     Options
	now      time.Time
	cooldown time.Duration
	targets  []*pushTarget
	res      *Result
	counted  map[string]bool // waits told of this run, somewhere
}

// deliver sends what is due and records in state what was delivered.
func (r *round) deliver(state map[string]derived.NotifyEntry, due []Notice) {
	var jobs []pushJob
	for _, d := range due {
		prev := state[d.SessionID] // a notice's reason is never empty: no entry is none of its
		if d.wait == nil {
			r.remind(state, d, prev)
			continue
		}
		before := toldOf(prev, d)
		// The desktop, when there is one; without it and without a push
		// target, the wait is reported as nowhere to go.
		desktopDue := r.n != nil || len(r.targets) == 0 && len(before) == 0
		if desktopDue && !slices.Contains(before, TargetDesktop) && r.desktop(d) {
			r.tell(state, d, TargetDesktop)
		}
		for _, t := range r.targets {
			if !slices.Contains(before, t.name) {
				jobs = append(jobs, pushJob{t, d})
			}
		}
	}
	for i, err := range r.push(jobs) {
		j := jobs[i]
		if err != nil || r.opts.DryRun {
			r.undelivered(pushNotice(j.notice), j.target.name, err)
			continue
		}
		r.res.Pushed++
		r.tell(state, j.notice, j.target.name)
	}
}

// pushJob is a wait due at a push target.
type pushJob struct {
	target *pushTarget
	notice Notice
}

// push sends the jobs whose target is usable, in one call of the Pusher,
// and returns each job's error: nil when delivered (and on a dry run, when
// nothing is sent).
func (r *round) push(jobs []pushJob) []error {
	errs := make([]error, len(jobs))
	var pushes []Push
	var at []int // the job of each push
	for i, j := range jobs {
		switch {
		case r.opts.DryRun:
		case j.target.err != nil:
			errs[i] = j.target.err
		case r.opts.Pusher == nil:
			errs[i] = errNoPusher
		default:
			pushes = append(pushes, Push{Target: j.target.name, URL: j.target.url, Wait: *j.notice.wait})
			at = append(at, i)
		}
	}
	if len(pushes) == 0 {
		return errs
	}
	res := r.opts.Pusher.Push(r.ctx, pushes) // an error for each push
	for k, i := range at {
		errs[i] = res[k]
	}
	return errs
}

// Why a notice is undelivered: no desktop on this machine, no sender of
// pushes in this program.
var (
	errNoDesktop = errors.New("no desktop notifier (osascript on macOS, notify-send on Linux)")
	errNoPusher  = errors.New("no sender of pushes here")
)

// remind tells of a stale or parked session on the desktop alone, once per
// cooldown (see Check for why these are not pushed).
func (r *round) remind(state map[string]derived.NotifyEntry, d Notice, prev derived.NotifyEntry) {
	if prev.Reason == d.Reason {
		if t, err := session.ParseTime(prev.NotifiedAt); err == nil && r.now.Sub(t) < r.cooldown {
			return
		}
	}
	if !r.desktop(d) {
		return
	}
	state[d.SessionID] = derived.NotifyEntry{Reason: d.Reason, NotifiedAt: session.FormatTime(r.now)}
	if d.Reason == ReasonStale {
		r.res.StaleNotified++
	} else {
		r.res.ParkedNotified++
	}
}

// desktop shows d on the desktop and reports whether it did; what it could
// not show is in the result.
func (r *round) desktop(d Notice) bool {
	switch {
	case r.opts.DryRun:
		r.undelivered(d, TargetDesktop, nil)
	case r.n == nil:
		r.undelivered(d, TargetDesktop, errNoDesktop)
	default:
		if err := r.n.Notify(r.ctx, d.Title, d.Message); err != nil {
			r.undelivered(d, TargetDesktop, fmt.Errorf("desktop notification: %w", err))
			return false
		}
		return true
	}
	return false
}

// tell records that the wait d was delivered to target, and counts the
// wait as told of the first time this run tells it anywhere (tell is only
// called for a target not told yet). The first delivery's time stays: it
// is when the user was first told.
func (r *round) tell(state map[string]derived.NotifyEntry, d Notice, target string) {
	prev := state[d.SessionID]
	e := derived.NotifyEntry{Reason: d.Reason, NotifiedAt: session.FormatTime(r.now)}
	if before := toldOf(prev, d); len(before) > 0 {
		e.NotifiedAt, e.Told = prev.NotifiedAt, slices.Clone(before)
	}
	if !r.counted[d.SessionID] {
		if r.counted == nil {
			r.counted = map[string]bool{}
		}
		r.counted[d.SessionID] = true
		r.res.WaitingNotified++
	}
	if !slices.Contains(e.Told, target) {
		e.Told = append(e.Told, target)
	}
	state[d.SessionID] = e
}

// toldOf is where the notice d was delivered already, by the state's entry
// prev: nothing when prev is of another reason (a new wait). An entry that
// names no targets was written before pushes: the desktop.
func toldOf(prev derived.NotifyEntry, d Notice) []string {
	if prev.Reason != d.Reason {
		return nil
	}
	if len(prev.Told) == 0 {
		return []string{TargetDesktop}
	}
	return prev.Told
}

// undelivered reports d as not delivered to target, because of err (nil
// on a dry run).
func (r *round) undelivered(d Notice, target string, err error) {
	d.Target = target
	if err != nil {
		d.Error = err.Error()
	}
	r.res.Undelivered = append(r.res.Undelivered, d)
}

// pushNotice is the notice a push of the wait d carries: its text without
// the time waited, nothing but the project, the intent and the reason.
func pushNotice(d Notice) Notice {
	d.Title, d.Message = WaitTitle, d.wait.Text()
	return d
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
