package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/pkg/store"
)

// serveConv runs a server over f's store that reads live transcripts
// from f's projects folder, on a free loopback port.
func serveConv(t testing.TB, f *convFixture) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	srv, err := New(store.Open(f.dir, store.Options{ReadOnly: true}), "127.0.0.1:"+port, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv.transcripts = f.projects
	ctx, cancel := context.WithCancel(context.Background())
	go srv.events.run(ctx)
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	t.Cleanup(func() { cancel(); srv.events.close(); hs.Close() })
	return "http://localhost:" + port + "/"
}

// TestBrowserConversation opens a conversation of 63 entries: the first
// page, then the rest by "Load more"; a tool call opens on a click; the
// hostile text stays text; desktop and phone screenshots are kept.
func TestBrowserConversation(t *testing.T) {
	ctx := browser(t)
	f := newConvFixture(t, 60)
	url := serveConv(t, f)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"#/session/"+f.id), chromedp.WaitVisible(`.conv-link`), chromedp.Click(`.conv-link`),
		chromedp.WaitVisible(`.conv-entry`)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ctx, ".conv-entry"); n != 50 {
		t.Errorf("first page: %d entries, want 50", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.conv-tool-line`), chromedp.WaitVisible(`.conv-tool-body`)); err != nil {
		t.Fatal(err)
	}
	body, _ := chromedp.Run(ctx, chromedp.Text(`.conv-tool-body`))
	if !strings.Contains(body, "<script>document.title='pwned'</script> FAIL") || !strings.Contains(body, "go test ./...") {
		t.Errorf("the tool call's body: %q", body)
	}
	if n := count(t, ctx, ".conv-tool-status.failed"); n != 1 {
		t.Errorf("%d failed tool calls shown, want 1", n)
	}
	screenShot(t, ctx, "conversation-desktop")
	if err := chromedp.Do(ctx, chromedp.Click(`#conv-more`)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `document.querySelectorAll('.conv-entry').length === 63`, "the second page")
	wait(t, ctx, `document.querySelector('#conv-more').hidden`, "no more pages")
	if n := count(t, ctx, ".conv-mark.mark-decision"); n != 1 {
		t.Errorf("%d decision marks, want 1", n)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(`#detail-view`))
	for _, want := range []string{`<img src=x onerror="document.title='pwned'"> fix it`, "63 entries", "Export Markdown", "run the tests first"} {
		if !strings.Contains(text, want) {
			t.Errorf("the conversation lacks %q", want)
		}
	}
	if strings.Contains(text, convSecret) {
		t.Error("the secret is on the page")
	}
	if n := count(t, ctx, "img, script:not([src='/app.js'])"); n != 0 {
		t.Errorf("payloads became %d elements", n)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Title()); title == "pwned" {
		t.Error("a payload ran")
	}
	// A phone: nothing wider than the screen.
	sizes[1].set(t, ctx)
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if wide {
		t.Error("the conversation is wider than a phone's screen")
	}
	js(t, ctx, `window.scrollTo(0, 0)`)
	screenShot(t, ctx, "conversation-phone")
}

// screenShot saves what the screen shows (not the whole page: a
// conversation is long) as artifacts/<name>.png.
func screenShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(artifactDir(t), name+".png")
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}

// BenchmarkBrowserConversation50MB opens the page of a conversation whose
// live transcript is 50 MB, in chromium, from the navigation to its first
// entries on the screen: what a person waits for (the bound is 300 ms).
func BenchmarkBrowserConversation50MB(b *testing.B) {
	ctx := browser(b)
	f := newConvFixture(b, 0)
	if err := os.WriteFile(f.live, bigConversation(f.repo, 50<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	url := serveConv(b, f)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := chromedp.Do(ctx, chromedp.Navigate(url+"#/session/"+f.id+"/conversation"), chromedp.WaitVisible(`.conv-entry`)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		chromedp.Do(ctx, chromedp.Navigate("about:blank"))
		b.StartTimer()
	}
}

// bigConversation is a transcript of about size bytes: prompts, answers
// and tool calls whose results are a few kilobytes, as a long session has.
func bigConversation(cwd string, size int) []byte {
	var b strings.Builder
	out := strings.Repeat("some output of a tool, a line of a file read back\\n", 80)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `{"type":"user","message":{"role":"user","content":"Do step %d of the plan"},"uuid":"u%d","sessionId":"s","timestamp":"2026-03-02T09:00:00.000Z","cwd":%q}`+"\n", i, i, cwd)
		fmt.Fprintf(&b, `{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"I will read the file first."},{"type":"tool_use","id":"toolu_%d","name":"Read","input":{"file_path":"/src/app/main.go"}}]},"uuid":"a%d","sessionId":"s","timestamp":"2026-03-02T09:00:01.000Z"}`+"\n", i, i)
		fmt.Fprintf(&b, `{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_%d","content":"%s"}]},"uuid":"r%d","sessionId":"s","timestamp":"2026-03-02T09:00:02.000Z"}`+"\n", i, out, i)
	}
	return []byte(b.String())
}
