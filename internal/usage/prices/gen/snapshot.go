package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// bedrockOnly maps the LiteLLM key of a model that Claude Code has named
// but that LiteLLM no longer lists under an Anthropic key to the name
// Claude Code writes. The Bedrock entry bills Anthropic's list price, and it
// is the one ccusage finds for that name (by substring), so the two agree.
// (3.5 Sonnet's entry has long-context rates and a 1M window the model
// never had; a request of it cannot reach them.) The Bedrock and Vertex
// copies of other models are left out: Claude Code writes Anthropic's
// names, and those have their own keys.
var bedrockOnly = map[string]string{
	"anthropic.claude-3-5-haiku-20241022-v1:0":  "claude-3-5-haiku-20241022",
	"anthropic.claude-3-5-sonnet-20241022-v2:0": "claude-3-5-sonnet-20241022",
}

// claude reports whether the entry under key is one of Anthropic's own
// Claude models: a claude-… key that LiteLLM bills as Anthropic (some
// claude-… keys are Bedrock's), an anthropic/claude-… key (none in the
// snapshot, but ccusage looks for them), or one of bedrockOnly.
func claude(key string, raw json.RawMessage) (bool, error) {
	if strings.HasPrefix(key, "anthropic/claude-") || bedrockOnly[key] != "" {
		return true, nil
	}
	if !strings.HasPrefix(key, "claude-") {
		return false, nil
	}
	var e struct {
		Provider string `json:"litellm_provider"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return false, fmt.Errorf("%s: %w", key, err)
	}
	return e.Provider == "anthropic", nil
}

// member is one key and value of a JSON object, as written.
type member struct {
	key string
	raw json.RawMessage
}

// claudeMembers are the Claude entries of a LiteLLM price file, in its
// order. A RawMessage keeps each as LiteLLM wrote it (field order, number
// spelling), so that the snapshot reads like the upstream file.
func claudeMembers(src []byte) ([]member, error) {
	d := json.NewDecoder(bytes.NewReader(src))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var ms []member
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		ok, err := claude(key, raw)
		if err != nil {
			return nil, err
		}
		if ok {
			ms = append(ms, member{key, raw})
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no Claude model in the file")
	}
	return ms, nil
}

// Snapshot is the Claude entries of a LiteLLM price file as a JSON object
// indented as LiteLLM indents its file. Snapshot of its own output is the
// same bytes.
func Snapshot(src []byte) ([]byte, error) {
	ms, err := claudeMembers(src)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, m := range ms {
		key, _ := json.Marshal(m.key)
		fmt.Fprintf(&b, "    %s: ", key)
		if err := json.Indent(&b, m.raw, "    ", "    "); err != nil {
			return nil, fmt.Errorf("%s: %w", m.key, err)
		}
		if i < len(ms)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
