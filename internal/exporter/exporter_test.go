package exporter

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, total: 10, start: time.Now().Add(-2 * time.Second)}
	p.tick(5)
	p.tick(10)
	p.end()
	out := b.String()
	if !strings.Contains(out, "5/10 sessions") || !strings.Contains(out, "10/10 sessions") || !strings.Contains(out, "/s, ") || !strings.HasSuffix(out, "\n") {
		t.Errorf("progress: %q", out)
	}
	var quiet bytes.Buffer
	q := newProgress(&quiet, 10) // not a terminal
	q.tick(10)
	q.end()
	if quiet.Len() != 0 {
		t.Errorf("progress on a pipe: %q", quiet.String())
	}
}
