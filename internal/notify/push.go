package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// Where a notice goes: the desktop, or a push to an ntfy topic or a
// webhook (the settings notify_ntfy_url and notify_webhook_url).
const (
	TargetDesktop = "desktop"
	TargetNtfy    = "ntfy"
	TargetWebhook = "webhook"
)

// DefaultPushTimeout bounds one push, the answer included: check-notify
// holds the notification state's lock while it delivers (so that two runs
// never push one wait twice), and a hung endpoint must not hold it, or the
// cleanup job, for long.
const DefaultPushTimeout = 5 * time.Second

// WaitTitle heads a wait's notice on every target.
const WaitTitle = "Claude Code waits for you"

// maxURL bounds a push URL; longer is a mistake, not an endpoint.
const maxURL = 2000

// Wait is what a push says, and all it says: the project, the intent and
// the reason, redacted. No session id, path, event or activity leaves the
// machine.
type Wait struct {
	Project string `json:"project"`
	Intent  string `json:"intent"`
	Reason  string `json:"reason"`
}

// Text is the wait in one line, as the desktop shows it.
func (w Wait) Text() string {
	return fmt.Sprintf("%s: %q — %s", w.Project, w.Intent, w.Reason)
}

// Push is one wait to push to one endpoint.
type Push struct {
	Target string `json:"target"` // TargetNtfy or TargetWebhook
	URL    string `json:"url"`
	Wait
}

// A Pusher sends pushes and says, for each, nil or why it was not
// delivered. The HTTP one is package httppush; sess-manage, which keeps
// network code out of its start-up, hands its pushes to sess-cleanup
// (Handoff).
type Pusher interface {
	Push(ctx context.Context, pushes []Push) []error
}

// pushTarget is one endpoint config.json names. err is set when its URL is
// unusable: every push to it then fails with err, so the wait is reported
// and stays due until the setting is fixed.
type pushTarget struct {
	name, url string
	err       error
}

// pushTargets are the endpoints config.json names, and a warning for each
// unusable one.
func pushTargets(cfg session.Settings) ([]*pushTarget, []string) {
	var targets []*pushTarget
	var warnings []string
	for _, t := range []struct{ name, key, url string }{
		{TargetNtfy, "notify_ntfy_url", cfg.NotifyNtfyURL},
		{TargetWebhook, "notify_webhook_url", cfg.NotifyWebhookURL},
	} {
		if t.url == "" {
			continue
		}
		pt := &pushTarget{name: t.name, url: t.url}
		if err := checkURL(t.name, t.url); err != nil {
			pt.err = fmt.Errorf("config.json: settings.%s: %w", t.key, err)
			warnings = append(warnings, pt.err.Error()+"; not pushing there until it is fixed")
		}
		targets = append(targets, pt)
	}
	return targets, warnings
}

// checkURL reports whether raw can be pushed to as target: an http or
// https URL with a host (and, for ntfy, a topic). Its errors never repeat
// the URL: a topic or a webhook's path is as good as a password.
func checkURL(target, raw string) error {
	if len(raw) > maxURL {
		return fmt.Errorf("longer than %d characters", maxURL)
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("has a space or a control character; write the URL alone")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL; want one such as https://ntfy.sh/your-topic")
	}
	if u.Scheme == "" {
		return errors.New("the URL has no scheme; write it whole, such as https://ntfy.sh/your-topic")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("want an http:// or https:// URL, not %q", session.Clip(u.Scheme+":"))
	}
	if u.Host == "" || u.Hostname() == "" {
		return errors.New("the URL names no host")
	}
	if target == TargetNtfy && strings.Trim(u.Path, "/") == "" {
		return errors.New("the URL names no topic; want one such as https://ntfy.sh/your-topic")
	}
	return nil
}

// HandoffFlag is the flag of sess-cleanup that sends the pushes handed to
// it: a Batch as JSON on stdin, a Results as JSON on stdout.
const HandoffFlag = "--send-pushes"

// Batch is the pushes handed to another process, with the timeout of each.
// It goes on stdin, never in the arguments, which other users can list.
type Batch struct {
	TimeoutMS int64  `json:"timeout_ms"`
	Pushes    []Push `json:"pushes"`
}

// Results says how each push of a Batch went: "" delivered, else why not.
type Results struct {
	Errors []string `json:"errors"`
}

// Handoff is a Pusher that hands the pushes to sess-cleanup, found by find
// when there is something to push. sess-manage stays free of net/http and
// crypto/tls (with them, and cgo, it links libc and starts 0.8 ms slower
// on every command), as it runs sess-serve rather than serving itself.
func Handoff(find func() (string, error), timeout time.Duration) Pusher {
	if timeout <= 0 {
		timeout = DefaultPushTimeout
	}
	return &handoff{find: find, timeout: timeout}
}

type handoff struct {
	find    func() (string, error)
	timeout time.Duration
}

// Push runs sess-cleanup --send-pushes. A run that fails fails every push
// (reported, and due again next run).
func (h *handoff) Push(ctx context.Context, pushes []Push) []error {
	errs := make([]error, len(pushes))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	bin, err := h.find()
	if err != nil {
		return fail(fmt.Errorf("cannot send pushes: %w", err))
	}
	in, err := json.Marshal(Batch{TimeoutMS: h.timeout.Milliseconds(), Pushes: pushes})
	if err != nil {
		return fail(fmt.Errorf("hand pushes over: %w", err))
	}
	// A bound of its own: each push is bounded there, and this bounds the
	// process should it hang anyway.
	ctx, cancel := context.WithTimeout(ctx, h.timeout*time.Duration(len(pushes))+5*time.Second)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, HandoffFlag)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), &out, &stderr
	var res Results
	if err := cmd.Run(); err != nil {
		line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return fail(fmt.Errorf("sess-cleanup %s: %w %s", HandoffFlag, err, session.Clip(line)))
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Errors) != len(pushes) {
		return fail(fmt.Errorf("sess-cleanup %s: an answer it should not give; is it the same version as sess-manage?", HandoffFlag))
	}
	for i, e := range res.Errors {
		if e != "" {
			errs[i] = errors.New(e)
		}
	}
	return errs
}
