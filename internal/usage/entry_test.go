package usage

import (
	"strings"
	"testing"
	"time"
)

// reply is an assistant row as Claude Code writes it, with fields to
// replace.
func reply(repl ...string) string {
	row := `{"parentUuid":"p","isSidechain":false,"cwd":"/home/u/web","sessionId":"c1","version":"2.0.50","type":"assistant",` +
		`"message":{"id":"msg_1","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[{"type":"text","text":"hi"}],` +
		`"usage":{"input_tokens":10,"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,"output_tokens":200,` +
		`"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600}}},` +
		`"requestId":"req_1","uuid":"u","timestamp":"2026-12-01T10:00:05.000Z"}`
	for i := 0; i+1 < len(repl); i += 2 {
		if !strings.Contains(row, repl[i]) {
			panic("no " + repl[i])
		}
		row = strings.Replace(row, repl[i], repl[i+1], 1)
	}
	return row
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		ok   bool
	}{
		{"a reply", reply(), true},
		{"no usage", `{"type":"user","timestamp":"2026-12-01T10:00:05.000Z","message":{"role":"user","content":"hi"}}`, false},
		{"usage in a tool's result only", `{"type":"user","timestamp":"2026-12-01T10:00:05.000Z","toolUseResult":{"usage":{"input_tokens":1,"output_tokens":1}},"message":{"role":"user","content":[]}}`, false},
		{"seconds without millis", reply(".000Z", "Z"), true},
		{"an offset, not Z", reply(".000Z", ".000+01:00"), false},
		{"micros", reply(".000Z", ".000000Z"), false},
		{"no timestamp", reply(`,"timestamp":"2026-12-01T10:00:05.000Z"`, ""), false},
		{"no output_tokens", reply(`,"output_tokens":200`, ""), false},
		{"input_tokens a string", reply(`"input_tokens":10`, `"input_tokens":"10"`), false},
		{"cache read null", reply(`"cache_read_input_tokens":5000`, `"cache_read_input_tokens":null`), false},
		{"no cache fields", reply(`"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,`, ""), true},
		{"speed fast", reply(`"output_tokens":200`, `"output_tokens":200,"speed":"fast"`), true},
		{"speed unknown", reply(`"output_tokens":200`, `"output_tokens":200,"speed":"turbo"`), false},
		{"version not x.y.z", reply(`"2.0.50"`, `"dev"`), false},
		{"version with a suffix", reply(`"2.0.50"`, `"2.0.50-beta"`), true},
		{"empty model", reply(`"claude-sonnet-4-5-20250929"`, `""`), false},
		{"empty session id", reply(`"sessionId":"c1"`, `"sessionId":""`), false},
		{"content a string", reply(`"content":[{"type":"text","text":"hi"}]`, `"content":"hi"`), false},
		{"costUSD null", reply(`"requestId"`, `"costUSD":null,"requestId"`), false},
		{"not an object", `["usage"]`, false},
		{"cut", reply()[:200], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := ParseLine([]byte(tt.line)); ok != tt.ok {
				t.Errorf("ParseLine(%s) ok = %v, want %v", tt.line, ok, tt.ok)
			}
		})
	}
}

func TestParseLineFields(t *testing.T) {
	e, ok := ParseLine([]byte(reply(`"output_tokens":200`, `"output_tokens":200,"speed":"fast"`, `"requestId"`, `"costUSD":0.5,"requestId"`)))
	if !ok {
		t.Fatal("not counted")
	}
	want := Entry{Time: time.Date(2026, 12, 1, 10, 0, 5, 0, time.UTC), Conversation: "c1", Model: "claude-sonnet-4-5-20250929-fast", Fast: true,
		CostUSD: 0.5, HasCostUSD: true, Key: keyOf("msg_1", "req_1"), Version: "2.0.50", Cwd: "/home/u/web"}
	want.Tokens.Input, want.Tokens.Output, want.Tokens.CacheRead = 10, 200, 5000
	want.Tokens.CacheWrite5m, want.Tokens.CacheWrite1h = 400, 600
	if e != want {
		t.Errorf("got  %+v\nwant %+v", e, want)
	}
	// Without the split every cache write is a 5-minute one; without a
	// request id the reply is never a duplicate.
	e, _ = ParseLine([]byte(reply(`,"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600}`, "", `"requestId":"req_1",`, "")))
	if e.Tokens.CacheWrite5m != 1000 || e.Tokens.CacheWrite1h != 0 || e.Key != 0 {
		t.Errorf("no split, no request id: %+v", e)
	}
}

func TestLimitReset(t *testing.T) {
	line := `{"type":"assistant","timestamp":"2026-12-01T10:00:05.000Z","isApiErrorMessage":true,"message":{"model":"<synthetic>","content":[{"type":"text","text":"Claude AI usage limit reached|1764590400"}],"usage":{"input_tokens":0,"output_tokens":0}}}`
	e, ok := ParseLine([]byte(line))
	if !ok || e.LimitReset != 1764590400 || e.Model != Synthetic {
		t.Errorf("got %+v, %v", e, ok)
	}
}
