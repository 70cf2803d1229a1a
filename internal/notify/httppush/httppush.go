package httppush

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

	"github.com/sess-dev/sess/internal/notify"
)

// Sender is a notify.Pusher over HTTP.
type Sender struct {
	client *http.Client
}

// New is a Sender whose pushes each get at most timeout
// (notify.DefaultPushTimeout when 0), the answer included. It follows no
// redirect: a 301 or 302 turns a POST into a GET, which publishes nothing
// and yet answers 200, so a 3xx is reported and the user sets the URL it
// points to.
func New(timeout time.Duration) *Sender {
	if timeout <= 0 {
		timeout = notify.DefaultPushTimeout
	}
	return &Sender{client: &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Push sends the pushes: the targets side by side, each one's in order.
// After a failure a target gets no more in this call (those are reported
// as not tried, and stay due), so a hung endpoint costs one timeout, not
// one per wait.
func (s *Sender) Push(ctx context.Context, pushes []notify.Push) []error {
	errs := make([]error, len(pushes))
	byTarget := map[string][]int{}
	for i, p := range pushes {
		byTarget[p.Target] = append(byTarget[p.Target], i)
	}
	var wg sync.WaitGroup
	for _, list := range byTarget {
		wg.Go(func() {
			var failed error
			for _, i := range list {
				if failed != nil {
					errs[i] = fmt.Errorf("not tried: the push before it failed (%w)", failed)
					continue
				}
				if errs[i] = s.send(ctx, pushes[i]); errs[i] != nil {
					failed = errs[i]
				}
			}
		})
	}
	wg.Wait()
	return errs
}

// send pushes p. Its errors name the endpoint by scheme and host alone:
// the path (a topic, a token) stays out of the report.
func (s *Sender) send(ctx context.Context, p notify.Push) error {
	where := endpoint(p.URL)
	req, err := request(ctx, p)
	if err != nil {
		return fmt.Errorf("%s push to %s: cannot make the request", p.Target, where)
	}
	req.Header.Set("User-Agent", "sess")
	resp, err := s.client.Do(req)
	if err != nil {
		var ue *url.Error // its text has the whole URL
		if errors.As(err, &ue) {
			if ue.Timeout() {
				return fmt.Errorf("%s push to %s: no answer within %s", p.Target, where, s.client.Timeout)
			}
			err = ue.Err
		}
		return fmt.Errorf("%s push to %s: %w", p.Target, where, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	msg := fmt.Sprintf("%s push to %s: answered %s", p.Target, where, resp.Status)
	if resp.StatusCode/100 == 3 {
		msg += " (redirects are not followed; set the URL it points to)"
	}
	if b := strings.Join(strings.Fields(string(body)), " "); b != "" {
		msg += ": " + b
	}
	return errors.New(msg)
}

// request is p's request for its target.
func request(ctx context.Context, p notify.Push) (*http.Request, error) {
	switch p.Target {
	case notify.TargetNtfy:
		return ntfyRequest(ctx, p)
	case notify.TargetWebhook:
		return webhookRequest(ctx, p)
	}
	return nil, fmt.Errorf("unknown push target %q", p.Target)
}

// ntfyRequest publishes the wait as ntfy's docs have it: the message is
// the body, the rest headers. The headers hold constants only, so nothing
// from a session can forge one.
func ntfyRequest(ctx context.Context, p notify.Push) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, strings.NewReader(p.Text()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("Title", notify.WaitTitle)
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

func webhookRequest(ctx context.Context, p notify.Push) (*http.Request, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // UTF-8 as it is, as sess writes all JSON
	if err := enc.Encode(webhookBody{"waiting", p.Project, p.Intent, p.Reason, p.Text()}); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, &b)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
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

// Serve is the other side of notify.Handoff: it reads a notify.Batch from
// r, sends it and writes a notify.Results to w.
func Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	var b notify.Batch
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&b); err != nil {
		return fmt.Errorf("read the pushes: %w", err)
	}
	errs := New(time.Duration(b.TimeoutMS)*time.Millisecond).Push(ctx, b.Pushes)
	res := notify.Results{Errors: make([]string, len(errs))}
	for i, err := range errs {
		if err != nil {
			res.Errors[i] = err.Error()
		}
	}
	if err := json.NewEncoder(w).Encode(res); err != nil {
		return fmt.Errorf("write the results: %w", err)
	}
	return nil
}
