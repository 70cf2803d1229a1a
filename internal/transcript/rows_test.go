package transcript

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestRows(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		`{"type":"summary","summary":"Login fix","leafUuid":"u2"}`,
		`{"type":"user","message":{"role":"user","content":"<command-name>/clear</command-name>Fix the loop"},"uuid":"u1","parentUuid":null,"sessionId":"s","timestamp":"2026-11-30T10:00:00.123Z","cwd":"/w","gitBranch":"main"}`,
		`{"type":"assistant","message":{"role":"assistant","content":[{"type":"thinking","thinking":"hm"},{"type":"text","text":"On it."},{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"git commit -m x"}}]},"uuid":"u2","parentUuid":"u1"}`,
		`{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"[main abc1234] x"}],"is_error":false}]},"toolUseResult":{"stdout":"[main abc1234] x"},"uuid":"u3"}`,
		`not json`,
		`{"type":"weird-new-row"}`,
		`{"type":"system","subtype":"compact_boundary","logicalParentUuid":"u3","uuid":"u4"}`,
		`{"type":"user","isMeta":true,"message":{"role":"user","content":"<system-reminder>x</system-reminder>"}}`,
		`{"type":"custom-title","customTitle":"Mine"}`,
		`{"type":"user","isSidechain":true,"message":{"role":"user","content":"sub"}}`,
	}, "\n")
	rs := NewRows(strings.NewReader(in))
	var rows []Row
	for r, ok := rs.Next(); ok; r, ok = rs.Next() {
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if want, have := 8, len(rows); want != have {
		t.Fatalf("rows: want %d, have %d", want, have)
	}
	if want, have := 1, rs.Broken; want != have {
		t.Errorf("broken: want %d, have %d", want, have)
	}
	if want, have := 1, rs.Unknown; want != have {
		t.Errorf("unknown: want %d, have %d", want, have)
	}
	u := rows[1]
	if u.Prompt() != "Fix the loop" || u.Command() != "/clear" || u.Cwd != "/w" || u.GitBranch != "main" || u.Time.Nanosecond() != 123e6 {
		t.Errorf("user row: %+v (prompt %q, command %q)", u, u.Prompt(), u.Command())
	}
	a := rows[2]
	if len(a.Blocks) != 2 || a.Blocks[1].Name != "Bash" || a.Text() != "On it." || a.ParentUUID != "u1" {
		t.Errorf("assistant row: %+v", a)
	}
	if r := rows[3]; len(r.Blocks) != 1 || r.Blocks[0].ToolUseID != "t1" || r.Blocks[0].Text != "[main abc1234] x" || len(r.ToolUseResult) == 0 || r.Prompt() != "" {
		t.Errorf("tool result row: %+v", r)
	}
	if r := rows[4]; r.Subtype != "compact_boundary" || r.LogicalParent != "u3" {
		t.Errorf("boundary: %+v", r)
	}
	if rows[5].Prompt() != "" || rows[7].Prompt() != "" {
		t.Error("a meta or a sidechain row is no prompt")
	}
	if rows[0].Summary != "Login fix" || rows[6].CustomTitle != "Mine" {
		t.Errorf("titles: %+v %+v", rows[0], rows[6])
	}
}

func TestRowsLongLine(t *testing.T) {
	t.Parallel()
	in := `{"type":"user","message":{"role":"user","content":"` + strings.Repeat("x", MaxLine) + `"}}` + "\n" +
		`{"type":"user","message":{"role":"user","content":"after"}}`
	rs := NewRows(strings.NewReader(in))
	r, ok := rs.Next()
	if !ok || r.Prompt() != "after" {
		t.Fatalf("the row after a long line: %+v %v", r, ok)
	}
	if want, have := 1, rs.Long; want != have {
		t.Errorf("long: want %d, have %d", want, have)
	}
}

func FuzzRows(f *testing.F) {
	data, err := os.ReadFile("testdata/conversation.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, line := range bytes.Split(data, []byte("\n")) {
		f.Add(line)
	}
	f.Add([]byte(`{"type":"assistant","message":{"content":[{"type":"tool_use","input":null},{"type":"tool_result","content":7}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs := NewRows(bytes.NewReader(data))
		n := 0
		for r, ok := rs.Next(); ok; r, ok = rs.Next() {
			n++
			_, _ = r.Prompt(), r.Command()
			if !knownRows[r.Type] {
				t.Fatalf("a row of an unknown type: %q", r.Type)
			}
		}
		if rs.Err() != nil {
			t.Fatalf("reading bytes: %v", rs.Err())
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		if n+rs.Skipped() > lines {
			t.Fatalf("%d rows and %d skipped from %d lines", n, rs.Skipped(), lines)
		}
		// ParseRow reads a line as Rows does.
		if !bytes.ContainsAny(data, "\r\n") {
			one, ok := ParseRow(data)
			r, ok2 := NewRows(bytes.NewReader(data)).Next()
			if ok != ok2 || one.Type != r.Type || one.Text() != r.Text() || one.Prompt() != r.Prompt() {
				t.Fatalf("ParseRow %v %+v, Rows %v %+v", ok, one, ok2, r)
			}
		}
	})
}

func TestRowsNewerFieldTypes(t *testing.T) {
	t.Parallel()
	in := `{"type":"user","isSidechain":"no","message":{"role":"user","content":"still read"},"cwd":"/w"}` + "\n" +
		`{"type":"user","message":{"role":"user","content":7}}`
	rs := NewRows(strings.NewReader(in))
	r, ok := rs.Next()
	if !ok || r.Cwd != "/w" || r.Prompt() != "still read" {
		t.Fatalf("a row with a field of a newer type: %+v %v", r, ok)
	}
	if r, ok := rs.Next(); !ok || len(r.Blocks) != 0 {
		t.Errorf("a content of another type: %+v %v", r, ok)
	}
}
