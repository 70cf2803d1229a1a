package importer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/transcript"
)

// A generated ~/.claude/projects tree of real transcript shapes, the same
// every run: two projects (a git repository, and a folder that is gone), a
// /clear chain, a compaction, subagents (a sidechain row, a subagents
// folder, an agent-*.jsonl), a commit, a broken line, an unknown row type,
// rows copied from another conversation.

// Conversations of the generated tree.
const (
	convA1 = "aaaaaaaa-0000-4000-8000-000000000001" // repo: tasks, edit, commit, compaction; cleared
	convA2 = "aaaaaaaa-0000-4000-8000-000000000002" // repo: begins with /clear of A1; TaskCreate/TaskUpdate
	convA3 = "aaaaaaaa-0000-4000-8000-000000000003" // repo: changed a minute ago, still runs
	convB1 = "bbbbbbbb-0000-4000-8000-000000000001" // gone folder: a summary title
	convB2 = "bbbbbbbb-0000-4000-8000-000000000002" // gone folder: a later, separate thread
)

// base is when the generated conversations begin.
var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// tree is the generated projects folder and its folders.
type tree struct {
	projects, repo, gone string
	now                  time.Time // the real clock of the import
}

// at is the time of a row, min minutes and sec seconds after base.
func at(min, sec int) string {
	return base.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second).Format("2006-01-02T15:04:05.000Z")
}

// rows is a transcript being written.
type rows struct {
	t         testing.TB
	id, cwd   string
	branch    string
	lines     []string
	n, parent int
}

// add writes a row of type typ with the common fields and extra ones.
func (r *rows) add(typ, when string, extra map[string]any) {
	r.n++
	row := map[string]any{"type": typ, "uuid": fmt.Sprintf("%s-u%03d", r.id[:8], r.n), "sessionId": r.id, "timestamp": when,
		"cwd": r.cwd, "gitBranch": r.branch, "version": "2.1.12", "isSidechain": false, "userType": "external"}
	if r.parent > 0 {
		row["parentUuid"] = fmt.Sprintf("%s-u%03d", r.id[:8], r.parent)
	} else {
		row["parentUuid"] = nil
	}
	r.parent = r.n
	for k, v := range extra {
		row[k] = v
	}
	data, err := json.Marshal(row)
	if err != nil {
		r.t.Fatal(err)
	}
	r.lines = append(r.lines, string(data))
}

func (r *rows) prompt(when, text string) {
	r.add("user", when, map[string]any{"message": map[string]any{"role": "user", "content": text}})
}

func (r *rows) answer(when, text string) {
	r.add("assistant", when, map[string]any{"message": map[string]any{"id": "msg_" + when, "role": "assistant", "model": "claude-opus-4",
		"content": []any{map[string]any{"type": "thinking", "thinking": "hm", "signature": "x"}, map[string]any{"type": "text", "text": text}}}})
}

// tool writes a tool call and its result (text, the tool's own answer).
func (r *rows) tool(when, id, name string, input any, result string, toolUseResult any, isError bool) {
	r.add("assistant", when, map[string]any{"message": map[string]any{"role": "assistant",
		"content": []any{map[string]any{"type": "tool_use", "id": id, "name": name, "input": input}}}})
	r.add("user", when, map[string]any{"message": map[string]any{"role": "user",
		"content": []any{map[string]any{"type": "tool_result", "tool_use_id": id, "content": result, "is_error": isError}}},
		"toolUseResult": toolUseResult})
}

func (r *rows) raw(line string) { r.lines = append(r.lines, line) }

func (r *rows) write(path string, mtime time.Time) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Join(r.lines, "\n")+"\n"), 0o644); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		r.t.Fatal(err)
	}
}

// genTree writes the tree under a test folder.
func genTree(t *testing.T) tree {
	t.Helper()
	dir := t.TempDir()
	tr := tree{projects: filepath.Join(dir, "projects"), repo: filepath.Join(dir, "src", "webapp"), gone: filepath.Join(dir, "gone", "notes-b"), now: base.Add(48 * time.Hour)}
	if err := os.MkdirAll(filepath.Join(tr.repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tr.repo, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	folderA := filepath.Join(tr.projects, transcript.Folder(tr.repo))
	folderB := filepath.Join(tr.projects, transcript.Folder(tr.gone))
	old := base.Add(time.Hour)

	a1 := &rows{t: t, id: convA1, cwd: tr.repo, branch: "main"}
	a1.add("file-history-snapshot", at(0, 0), map[string]any{"messageId": "m0", "snapshot": map[string]any{}})
	a1.add("user", at(0, 0), map[string]any{"isMeta": true, "message": map[string]any{"role": "user", "content": "<local-command-caveat>Caveat</local-command-caveat>"}})
	a1.prompt(at(0, 1), "Fix the login redirect loop\nIt happens on Safari only, token ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2")
	a1.tool(at(0, 5), "toolu_01", "TodoWrite", map[string]any{"todos": []any{
		map[string]any{"content": "Find the cause", "status": "in_progress", "activeForm": "Finding"},
		map[string]any{"content": "Fix the cookie", "status": "pending", "activeForm": "Fixing"}}},
		"Todos have been modified successfully", map[string]any{"oldTodos": []any{}, "newTodos": []any{}}, false)
	a1.add("user", at(0, 6), map[string]any{"isSidechain": true, "message": map[string]any{"role": "user", "content": "a subagent's prompt"}})
	a1.raw(`{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"cut off`)
	a1.add("weird-new-row", at(0, 7), map[string]any{"payload": 1})
	a1.tool(at(1, 0), "toolu_02", "Edit", map[string]any{"file_path": filepath.Join(tr.repo, "src", "login.go"), "old_string": "a", "new_string": "b"},
		"The file has been updated.", map[string]any{"filePath": filepath.Join(tr.repo, "src", "login.go")}, false)
	a1.add("system", at(2, 0), map[string]any{"subtype": "compact_boundary", "content": "Conversation compacted", "logicalParentUuid": "aaaaaaaa-u009",
		"compactMetadata": map[string]any{"trigger": "auto", "preTokens": 155000}})
	a1.add("user", at(2, 0), map[string]any{"isCompactSummary": true, "isVisibleInTranscriptOnly": true,
		"message": map[string]any{"role": "user", "content": "This session is being continued from a previous conversation. The cookie lacked SameSite."}})
	a1.tool(at(3, 0), "toolu_03", "Bash", map[string]any{"command": "git add -A && git commit -m 'Fix login loop'"},
		"[main 1a2b3c4] Fix login loop\n 1 file changed", map[string]any{"stdout": "[main 1a2b3c4] Fix login loop\n 1 file changed", "stderr": "", "interrupted": false}, false)
	a1.tool(at(3, 10), "toolu_04", "Bash", map[string]any{"command": "git commit -m again"}, "nothing to commit, working tree clean", map[string]any{"stdout": ""}, true)
	a1.tool(at(3, 20), "toolu_05", "TodoWrite", map[string]any{"todos": []any{
		map[string]any{"content": "Find the cause", "status": "completed"}, map[string]any{"content": "Fix the cookie", "status": "completed"}}}, "ok", nil, false)
	a1.answer(at(4, 0), "Fixed the loop: the cookie now has SameSite=Lax. Shall I add a test?")
	a1.add("custom-title", "", map[string]any{"customTitle": "Safari login loop"})
	a1.write(filepath.Join(folderA, convA1+".jsonl"), old)
	// A subagent of A1: a folder of its own, and an older build's file.
	sub := &rows{t: t, id: convA1, cwd: tr.repo, branch: "main"}
	sub.add("user", at(1, 0), map[string]any{"isSidechain": true, "agentId": "x1", "message": map[string]any{"role": "user", "content": "Search the code"}})
	sub.write(filepath.Join(folderA, convA1, "subagents", "agent-x1.jsonl"), old)
	sub.write(filepath.Join(folderA, "agent-x2.jsonl"), old)

	a2 := &rows{t: t, id: convA2, cwd: tr.repo, branch: "main"}
	a2.add("user", at(5, 0), map[string]any{"message": map[string]any{"role": "user", "content": "<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>"}})
	a2.add("user", at(5, 0), map[string]any{"message": map[string]any{"role": "user", "content": "<local-command-stdout></local-command-stdout>"}})
	a2.prompt(at(5, 30), "Now add a test for the cookie")
	a2.tool(at(6, 0), "toolu_11", "TaskCreate", map[string]any{"subject": "Write the cookie test", "description": "x"},
		"Task #1 created successfully: Write the cookie test", map[string]any{"task": map[string]any{"id": "1", "subject": "Write the cookie test"}}, false)
	a2.tool(at(7, 0), "toolu_12", "TaskUpdate", map[string]any{"taskId": "1", "status": "completed"}, "Updated task #1 status", nil, false)
	a2.answer(at(8, 0), "The test passes.")
	a2.write(filepath.Join(folderA, convA2+".jsonl"), old)

	a3 := &rows{t: t, id: convA3, cwd: filepath.Join(tr.repo, "src"), branch: "feature/x"}
	a3.prompt(at(2000, 0), "Still going")
	a3.answer(at(2001, 0), "Working on it.")
	a3.write(filepath.Join(folderA, convA3+".jsonl"), tr.now.Add(-time.Minute))

	b1 := &rows{t: t, id: convB1, cwd: tr.gone}
	b1.add("summary", "", map[string]any{"summary": "Someone else's summary", "leafUuid": "ffffffff-u001"})
	b1.add("summary", "", map[string]any{"summary": "Notes on the trip", "leafUuid": "bbbbbbbb-u004"})
	// Rows an older build copied from the conversation it resumed.
	b1.add("user", at(9, 0), map[string]any{"sessionId": "cccccccc-0000-4000-8000-000000000009", "message": map[string]any{"role": "user", "content": "an earlier conversation's prompt"}})
	b1.prompt(at(10, 0), "Sort my notes on the trip")
	b1.answer(at(11, 0), "Sorted them by day.")
	b1.write(filepath.Join(folderB, convB1+".jsonl"), old)

	b2 := &rows{t: t, id: convB2, cwd: tr.gone}
	b2.prompt(at(600, 0), "Another thing entirely")
	b2.answer(at(601, 0), "Done.")
	b2.write(filepath.Join(folderB, convB2+".jsonl"), old)
	return tr
}
