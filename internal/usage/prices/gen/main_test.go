package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGenerated: table.go is what Generate makes of the committed snapshot,
// byte for byte, so the Go cannot drift from its source.
func TestGenerated(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("claude_prices.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Error("table.go is not what gen makes of gen/claude_prices.json: run go generate ./internal/usage/prices")
	}
}

// TestSnapshotStable: the snapshot holds only what the filter keeps, as
// LiteLLM wrote it, so filtering it again changes nothing.
func TestSnapshotStable(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("claude_prices.json")
	if err != nil {
		t.Fatal(err)
	}
	have, err := Snapshot(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, have) {
		t.Error("gen -snapshot of claude_prices.json is not claude_prices.json")
	}
}

// TestFilter: which LiteLLM entries are Claude's, and what becomes of them.
func TestFilter(t *testing.T) {
	t.Parallel()
	const file = `{
    "sample_spec": {"input_cost_per_token": 0.0},
    "gpt-4o": {"input_cost_per_token": 2.5e-06, "litellm_provider": "openai"},
    "claude-x-1": {"input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06, "cache_creation_input_token_cost": 1.25e-06, "cache_read_input_token_cost": 1e-07, "litellm_provider": "anthropic"},
    "claude-x-1-v1:0": {"input_cost_per_token": 1e-06, "litellm_provider": "bedrock"},
    "us.anthropic.claude-x-1": {"input_cost_per_token": 1.1e-06, "litellm_provider": "bedrock_converse"},
    "vertex_ai/claude-x-1": {"input_cost_per_token": 1e-06, "litellm_provider": "vertex_ai-anthropic_models"},
    "anthropic/claude-y-2": {"input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05, "cache_creation_input_token_cost": 2.5e-06, "cache_read_input_token_cost": 2e-07, "provider_specific_entry": {"us": 1.1, "fast": 2.0}}
}`
	snap, err := Snapshot([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		kept bool
	}{
		{`"claude-x-1"`, true},
		{`"anthropic/claude-y-2"`, true},
		{`"fast": 2.0`, true}, // LiteLLM's spelling kept
		{`"sample_spec"`, false},
		{`"gpt-4o"`, false},
		{`"claude-x-1-v1:0"`, false},
		{`"us.anthropic.claude-x-1"`, false},
		{`"vertex_ai/claude-x-1"`, false},
	} {
		if want, have := tc.kept, bytes.Contains(snap, []byte(tc.key)); want != have {
			t.Errorf("%s in the snapshot: want %v, have %v", tc.key, want, have)
		}
	}
	src, err := Generate([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"anthropic/claude-y-2": {Input: 2e-06, Output: 1e-05, CacheWrite5m: 2.5e-06, CacheWrite1h: 4e-06, CacheRead: 2e-07, Fast: 2}`,
		"// 1h cache writes: 2× input, LiteLLM gives none.",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("generated source lacks %s:\n%s", want, src)
		}
	}
}

// TestGenerateRefuses: an entry without a price sess bills by is an error,
// not a zero.
func TestGenerateRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, file string }{
		{"no Claude model", `{"gpt-4o": {"litellm_provider": "openai"}}`},
		{"no cache read price", `{"claude-x-1": {"input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06, "cache_creation_input_token_cost": 1.25e-06, "litellm_provider": "anthropic"}}`},
		{"not an object", `[]`},
	} {
		if _, err := Generate([]byte(tc.file)); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestRunUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		wantCode   int
		wantStdout bool
	}{
		{[]string{"-h"}, 0, true},
		{nil, 2, false},
		{[]string{"-nosuchflag", "x"}, 2, false},
		{[]string{"/nonexistent/prices.json"}, 1, false},
	} {
		var stdout, stderr bytes.Buffer
		if want, have := tc.wantCode, run(tc.args, &stdout, &stderr); want != have {
			t.Errorf("%v: exit code: want %d, have %d", tc.args, want, have)
		}
		if want, have := tc.wantStdout, stdout.Len() > 0; want != have {
			t.Errorf("%v: output on stdout: want %v, have %v", tc.args, want, have)
		}
	}
}
