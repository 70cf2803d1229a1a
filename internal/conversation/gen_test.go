package conversation

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rows writes a transcript of real shapes (see internal/importer's
// generator): prompts, answers with thinking, tool calls and their
// results, a slash command, a compaction, a subagent's row.
type rows struct {
	t      testing.TB
	id     string
	cwd    string
	base   time.Time
	lines  []string
	n      int
	parent string
}

func newRows(t testing.TB, id, cwd string, base time.Time) *rows {
	return &rows{t: t, id: id, cwd: cwd, base: base}
}

// at is a row's time, sec seconds after base.
func (r *rows) at(sec int) string {
	return r.base.Add(time.Duration(sec) * time.Second).Format("2006-01-02T15:04:05.000Z")
}

func (r *rows) add(typ string, sec int, extra map[string]any) {
	r.n++
	uuid := fmt.Sprintf("%s-u%04d", r.id[:8], r.n)
	row := map[string]any{"type": typ, "uuid": uuid, "sessionId": r.id, "timestamp": r.at(sec),
		"cwd": r.cwd, "gitBranch": "main", "version": "2.1.12", "isSidechain": false, "userType": "external", "parentUuid": nil}
	if r.parent != "" {
		row["parentUuid"] = r.parent
	}
	r.parent = uuid
	for k, v := range extra {
		row[k] = v
	}
	data, err := json.Marshal(row)
	if err != nil {
		r.t.Fatal(err)
	}
	r.lines = append(r.lines, string(data))
}

func (r *rows) prompt(sec int, text string) {
	r.add("user", sec, map[string]any{"message": map[string]any{"role": "user", "content": text}})
}

func (r *rows) answer(sec int, text string) {
	r.add("assistant", sec, map[string]any{"message": map[string]any{"role": "assistant", "model": "claude-opus-4",
		"content": []any{map[string]any{"type": "thinking", "thinking": "secret thoughts", "signature": "x"}, map[string]any{"type": "text", "text": text}}}})
}

func (r *rows) tool(sec int, id, name string, input any, result string, isError bool) {
	r.add("assistant", sec, map[string]any{"message": map[string]any{"role": "assistant",
		"content": []any{map[string]any{"type": "tool_use", "id": id, "name": name, "input": input}}}})
	r.add("user", sec+1, map[string]any{"message": map[string]any{"role": "user",
		"content": []any{map[string]any{"type": "tool_result", "tool_use_id": id, "content": result, "is_error": isError}}}})
}

func (r *rows) command(sec int, name, args string) {
	r.prompt(sec, "<command-name>"+name+"</command-name>\n<command-message>x</command-message>\n<command-args>"+args+"</command-args>")
}

func (r *rows) compaction(sec int, summary string) {
	r.add("system", sec, map[string]any{"subtype": "compact_boundary", "content": "Conversation compacted"})
	r.add("user", sec, map[string]any{"isCompactSummary": true, "message": map[string]any{"role": "user", "content": summary}})
}

func (r *rows) sidechain(sec int, text string) {
	r.add("assistant", sec, map[string]any{"isSidechain": true, "message": map[string]any{"role": "assistant",
		"content": []any{map[string]any{"type": "text", "text": text}}}})
}

func (r *rows) String() string { return strings.Join(r.lines, "\n") + "\n" }

func (r *rows) write(path string) {
	r.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(r.String()), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// sample is a conversation with one of every entry kind: prompt, answer,
// tool ok, tool failed, command, compaction (12 entries).
func sample(t testing.TB, id, cwd string, base time.Time) *rows {
	r := newRows(t, id, cwd, base)
	r.prompt(0, "Fix the login bug")
	r.answer(10, "I will look at the handler.")
	r.tool(20, "toolu_1", "Read", map[string]any{"file_path": "/src/app/login.go"}, "package app\n", false)
	r.tool(30, "toolu_2", "Bash", map[string]any{"command": "go test ./...\necho done"}, "FAIL: TestLogin", true)
	r.sidechain(35, "a subagent's words")
	r.answer(40, "The test fails; fixing.")
	r.tool(50, "toolu_3", "Bash", map[string]any{"command": "git commit -m 'fix login'"}, "[main abc1234] fix login\n 1 file changed", false)
	r.command(60, "/compact", "")
	r.compaction(70, "Summary: login fixed")
	r.prompt(80, "Now the logout")
	r.answer(90, "Done.")
	r.raw(`not json at all`)
	r.prompt(100, "Thanks")
	return r
}

func (r *rows) raw(line string) { r.lines = append(r.lines, line) }
