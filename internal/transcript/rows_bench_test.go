package transcript

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// benchTranscript is a transcript of n turns of a realistic mix: a prompt,
// an answer with a tool call, a tool result of a few kilobytes.
func benchTranscript(n int) []byte {
	var b bytes.Buffer
	out := strings.Repeat("some output of a tool, a line of a file read back\\n", 80)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"type":"user","message":{"role":"user","content":"Do step %d of the plan"},"uuid":"u%d","parentUuid":"p%d","sessionId":"s","timestamp":"2026-03-02T09:00:00.000Z","cwd":"/home/u/src/app","gitBranch":"main","version":"2.1.12","isSidechain":false,"userType":"external"}`+"\n", i, i, i)
		fmt.Fprintf(&b, `{"type":"assistant","message":{"id":"msg_%d","role":"assistant","model":"claude-opus-4","content":[{"type":"text","text":"I will read the file first."},{"type":"tool_use","id":"toolu_%d","name":"Read","input":{"file_path":"/home/u/src/app/main.go"}}],"usage":{"input_tokens":10,"output_tokens":20}},"uuid":"a%d","parentUuid":"u%d","sessionId":"s","timestamp":"2026-03-02T09:00:01.000Z","cwd":"/home/u/src/app","gitBranch":"main"}`+"\n", i, i, i, i)
		fmt.Fprintf(&b, `{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_%d","content":"%s"}]},"toolUseResult":{"type":"text","file":{"filePath":"/home/u/src/app/main.go","content":"%s"}},"uuid":"r%d","sessionId":"s","timestamp":"2026-03-02T09:00:02.000Z","cwd":"/home/u/src/app"}`+"\n", i, out, out, i)
	}
	return b.Bytes()
}

func BenchmarkRows(b *testing.B) {
	data := benchTranscript(2000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rs := NewRows(bytes.NewReader(data))
		for _, ok := rs.Next(); ok; _, ok = rs.Next() {
		}
	}
}
