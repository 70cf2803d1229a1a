package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
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

// maxURL bounds a push URL; longer is a mistake, not an endpoint.
const maxURL = 2000

// waitTitle heads a wait's notice on every target.
const waitTitle = "Claude Code waits for you"

// A wait is what a push says, and all it says: the project, the intent and
// the reason, redacted. No session id, path, event or activity leaves the
// machine.
type wait struct {
	Project, Intent, Reason string
}

// text is the wait in one line, as the desktop shows it.
func (w wait) text() string {
	return fmt.Sprintf("%s: %q — %s", w.Project, w.Intent, w.Reason)
}

// pushTarget is one endpoint waits are pushed to. err is set when its URL
// in config.json is unusable: every push to it then fails with err, so the
// wait is reported and stays due until the setting is fixed.
type pushTarget struct {
	name    string // TargetNtfy or TargetWebhook
	url     string
	err     error
	request func(ctx context.Context, url string, w wait) (*http.Request, error)
}

// pushTargets are the endpoints config.json names, and a warning for each
// unusable one.
func pushTargets(cfg session.Settings) ([]*pushTarget, []string) {
	var targets []*pushTarget
	var warnings []string
	for _, t := range []struct {
		name, key, url string
		request        func(context.Context, string, wait) (*http.Request, error)
	}{
		{TargetNtfy, "notify_ntfy_url", cfg.NotifyNtfyURL, ntfyRequest},
		{TargetWebhook, "notify_webhook_url", cfg.NotifyWebhookURL, webhookRequest},
	} {
		if t.url == "" {
			continue
		}
		pt := &pushTarget{name: t.name, url: t.url, request: t.request}
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

// ntfyRequest publishes w as ntfy's docs have it (docs.ntfy.sh/publish):
// the message is the body, the rest headers. The headers hold constants
// only, so nothing from a session can forge one.
func ntfyRequest(ctx context.Context, target string, w wait) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(w.text()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("Title", waitTitle)
	req.Header.Set("Tags", "hourglass_flowing_sand")
	// High: a wait stops a conversation until it is answered, and it is
	// pushed once, so it may buzz the phone.
	req.Header.Set("Priority", "high")
	return req, nil
}

// webhookBody is what a webhook gets. Text is the whole message in one
// line, the field Slack's and Mattermost's incoming webhooks show.
type webhookBody struct {
	Event   string `json:"event"` // "waiting"
	Project string `json:"project"`
	Intent  string `json:"intent"`
	Reason  string `json:"reason"`
	Text    string `json:"text"`
}

func webhookRequest(ctx context.Context, target string, w wait) (*http.Request, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // UTF-8 as it is, as sess writes all JSON
	if err := enc.Encode(webhookBody{"waiting", w.Project, w.Intent, w.Reason, w.text()}); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, &b)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// pusher sends pushes with a short timeout and no redirects: a POST that
// is redirected turns into a GET, which publishes nothing and yet answers
// 200, so a 3xx is reported and the user sets the URL it points to.
type pusher struct {
	client *http.Client
}

func newPusher(timeout time.Duration) *pusher {
	if timeout <= 0 {
		timeout = DefaultPushTimeout
	}
	return &pusher{client: &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// pushJob is one wait to push to one target, and how that went.
type pushJob struct {
	target *pushTarget
	notice Notice
	wait   wait
	err    error
}

// run sends the jobs: the targets side by side, each one's in order. After
// a failure a target gets no more this run (they are reported as not
// tried, and stay due), so a hung endpoint costs one timeout, not one per
// wait.
func (p *pusher) run(ctx context.Context, jobs []*pushJob) {
	byTarget := map[*pushTarget][]*pushJob{}
	for _, j := range jobs {
		byTarget[j.target] = append(byTarget[j.target], j)
	}
	var wg sync.WaitGroup
	for t, list := range byTarget {
		wg.Go(func() {
			var failed error
			for _, j := range list {
				if failed != nil {
					j.err = fmt.Errorf("not tried: the push before it failed (%w)", failed)
					continue
				}
				if j.err = p.send(ctx, t, j.wait); j.err != nil {
					failed = j.err
				}
			}
		})
	}
	wg.Wait()
}

// send pushes w to t. Its errors name the endpoint by scheme and host
// alone: the path (a topic, a token) stays out of the report.
func (p *pusher) send(ctx context.Context, t *pushTarget, w wait) error {
	if t.err != nil {
		return t.err
	}
	where := endpoint(t.url)
	req, err := t.request(ctx, t.url, w)
	if err != nil {
		return fmt.Errorf("%s push to %s: cannot make the request", t.name, where)
	}
	req.Header.Set("User-Agent", "sess")
	resp, err := p.client.Do(req)
	if err != nil {
		var ue *url.Error // its text has the whole URL
		if errors.As(err, &ue) {
			if ue.Timeout() {
				return fmt.Errorf("%s push to %s: no answer within %s", t.name, where, p.client.Timeout)
			}
			err = ue.Err
		}
		return fmt.Errorf("%s push to %s: %w", t.name, where, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	msg := fmt.Sprintf("%s push to %s: answered %s", t.name, where, resp.Status)
	if resp.StatusCode/100 == 3 {
		msg += " (redirects are not followed; set the URL it points to)"
	}
	if s := strings.Join(strings.Fields(string(body)), " "); s != "" {
		msg += ": " + s
	}
	return errors.New(msg)
}

// endpoint is the URL's scheme and host: enough to say which endpoint
// failed, nothing that lets another read or post to it.
func endpoint(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a bad URL)"
	}
	return u.Scheme + "://" + u.Host
}
