package server

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// TestStreamCap: past the cap an event stream is refused with 503 and the
// JSON error shape, and a client that goes frees its slot for the next one.
func TestStreamCap(t *testing.T) {
	t.Parallel()
	const maxStreams = 2
	f := newLimitedFixture(t, limits{cacheEntries: 1, cacheBytes: 1, streams: maxStreams, renders: 1})
	// ended tells which client's stream handler returned, so that the test
	// waits for the server to let a client go rather than for a while.
	ended := make(chan string, 8)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.srv.ServeHTTP(w, r)
		ended <- r.URL.Query().Get("client")
	}))
	defer ts.Close()

	cancels := map[string]context.CancelFunc{}
	for _, client := range []string{"a", "b"} {
		cancels[client] = openStream(t, ts.URL, client)
	}
	defer func() {
		for _, cancel := range cancels {
			cancel()
		}
	}()
	if want, have := maxStreams, f.srv.events.streams(); want != have {
		t.Fatalf("open streams: want %d, have %d", want, have)
	}
	for _, tc := range []struct {
		name     string
		before   func()
		wantOpen bool
	}{
		{"one past the cap", func() {}, false},
		{"after a client went", func() {
			cancels["a"]() // closes its connection
			if have := <-ended; have != "a" {
				t.Fatalf("ended: want client a, have %q", have)
			}
		}, true},
		{"full again", func() {}, false},
	} {
		tc.before()
		if tc.wantOpen {
			cancels[tc.name] = openStream(t, ts.URL, tc.name)
			continue
		}
		resp := get(t, context.Background(), streamURL(ts.URL, tc.name))
		var e struct{ Error, Code string }
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != http.StatusServiceUnavailable || e.Code != "TOO_MANY_STREAMS" || e.Error == "" {
			t.Errorf("%s: want 503 with the JSON error, have %d %+v (%v)", tc.name, resp.StatusCode, e, err)
		}
		resp.Body.Close()
		if have := <-ended; have != tc.name {
			t.Fatalf("ended: want %s, have %q", tc.name, have)
		}
	}
	if want, have := maxStreams, f.srv.events.streams(); want != have {
		t.Errorf("open streams at the end: want %d, have %d", want, have)
	}
}

// openStream opens an event stream as client and reads its hello, which the
// server sends once the stream holds its slot; cancel closes the connection.
func openStream(t *testing.T, base, client string) context.CancelFunc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	resp := get(t, ctx, streamURL(base, client))
	if resp.StatusCode != http.StatusOK {
		cancel()
		t.Fatalf("stream %s: want 200, have %d", client, resp.StatusCode)
	}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() && lines.Text() != "event: hello" {
	}
	return func() {
		cancel()
		resp.Body.Close()
	}
}

// streamURL is the event stream's URL, tagged with the client's name.
func streamURL(base, client string) string {
	return base + "/api/events?client=" + url.QueryEscape(client)
}

func get(t *testing.T, ctx context.Context, u string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "localhost:9000"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("get %s: %v", u, err)
	}
	return resp
}
