package transcriptgen

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// toolCall is a tool use and what the tool gave back.
type toolCall struct {
	use     block
	result  string // the tool_result's content
	detail  any    // the row's toolUseResult
	isError bool
	task    string // a Task's prompt: a subagent runs it
}

// The tools of a conversation and of a subagent, with weights. A Task is
// drawn apart (plan.tasks), as a subagent is a transcript of its own.
var (
	mainTools     = []weighted[string]{{"Read", 34}, {"Edit", 20}, {"Bash", 18}, {"Grep", 10}, {"Glob", 5}, {"TodoWrite", 7}, {"Write", 6}}
	subagentTools = []weighted[string]{{"Read", 45}, {"Grep", 30}, {"Glob", 15}, {"Bash", 10}}
)

// tool draws a call of tool name, with its result.
func (c *chat) tool(name string, bigReads bool) toolCall {
	d := c.d
	path := filepath.Join(c.cwd, one(d, files...))
	tc := toolCall{use: block{Type: "tool_use", ID: d.toolUseID(), Name: name}}
	switch name {
	case "Read":
		n := d.between(800, 6000)
		switch {
		case bigReads && d.chance(0.6), d.chance(0.03):
			n = d.between(30_000, 80_000) // Claude Code reads at most 25,000 tokens of a file
		case d.chance(0.12):
			n = d.between(6000, 20_000)
		}
		body := d.code(n, true)
		tc.use.Input = map[string]any{"file_path": path}
		tc.result = body
		tc.detail = map[string]any{"type": "text", "file": map[string]any{"filePath": path, "content": body,
			"numLines": strings.Count(body, "\n"), "startLine": 1, "totalLines": strings.Count(body, "\n")}}
	case "Edit":
		tc.use.Input = map[string]any{"file_path": path, "old_string": "return nil", "new_string": "return check(input)"}
		tc.result = fmt.Sprintf("The file %s has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n%s", path, d.code(d.between(300, 1200), true))
		tc.detail = map[string]any{"filePath": path, "oldString": "return nil", "newString": "return check(input)", "replaceAll": false, "userModified": false}
	case "Write":
		body := d.code(d.between(500, 4000), false)
		tc.use.Input = map[string]any{"file_path": path, "content": body}
		tc.result = "File created successfully at: " + path
		tc.detail = map[string]any{"type": "create", "filePath": path, "content": body}
	case "Bash":
		cmd, out := "go test ./...", d.testOutput()
		if d.chance(0.3) {
			cmd = "git add -A && git commit -m 'check the input before decoding'"
			out = fmt.Sprintf("[main %07x] check the input before decoding\n 2 files changed, 14 insertions(+), 3 deletions(-)", d.Uint32()&0xfffffff)
		}
		tc.use.Input = map[string]any{"command": cmd, "description": "Run " + strings.Fields(cmd)[0]}
		tc.result = out
		tc.isError = strings.Contains(out, "FAIL")
		tc.detail = map[string]any{"stdout": out, "stderr": "", "interrupted": false, "isImage": false}
	case "Grep", "Glob":
		var names []string
		for range d.between(1, 12) {
			names = append(names, filepath.Join(c.cwd, one(d, files...)))
		}
		tc.use.Input = map[string]any{"pattern": one(d, "check\\(", "TODO", "**/*.go", "func .*Handler")}
		tc.result = strings.Join(names, "\n")
		tc.detail = map[string]any{"filenames": names, "numFiles": len(names), "durationMs": d.between(5, 300), "truncated": false}
	case "TodoWrite":
		todos := []any{
			map[string]any{"content": "Check the input first", "status": "completed", "activeForm": "Checking the input"},
			map[string]any{"content": "Add a table test", "status": "in_progress", "activeForm": "Adding a table test"},
			map[string]any{"content": "Run the whole suite", "status": "pending", "activeForm": "Running the suite"},
		}
		tc.use.Input = map[string]any{"todos": todos}
		tc.result = "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress."
		tc.detail = map[string]any{"oldTodos": []any{}, "newTodos": todos}
	}
	return tc
}

// taskCall is a call of the Task tool: the subagent is run when its
// result is written.
func (c *chat) taskCall() toolCall {
	desc := one(c.d, "Find the callers", "Explore the store package", "Review the change", "Search for the config loader")
	prompt := desc + " of " + one(c.d, nouns...) + ", and report the files and lines that matter."
	return toolCall{use: block{Type: "tool_use", ID: c.d.toolUseID(), Name: "Task",
		Input: map[string]any{"description": desc, "prompt": prompt, "subagent_type": one(c.d, "Explore", "general-purpose")}}, task: prompt}
}

// results writes the tool results of calls: each its own user row, in the
// order of the calls. Subagents run side by side: each starts when the
// calls were made, and the results come once the last is done.
func (c *chat) results(calls []toolCall) {
	start, end := c.now, c.now
	for i := range calls {
		tc := &calls[i]
		if tc.task == "" {
			continue
		}
		text, done, used := c.subagent(tc.task, start)
		tc.result = text
		tc.detail = map[string]any{"status": "completed", "prompt": tc.task, "content": []any{map[string]any{"type": "text", "text": text}},
			"totalDurationMs": done.Sub(start).Milliseconds(), "totalTokens": used, "totalToolUseCount": c.d.between(2, 12)}
		end = later(end, done)
	}
	c.now = end
	for _, tc := range calls {
		c.tick(50*time.Millisecond, 3*time.Second) // the tool runs
		r := c.base("user")
		r.Message = userMessage{Role: "user", Content: []block{{Type: "tool_result", ToolUseID: tc.use.ID, Content: tc.result, IsError: tc.isError}}}
		r.ToolUseResult = tc.detail
		c.f.write(r)
		c.ctx.pending += tokens(tc.result)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
