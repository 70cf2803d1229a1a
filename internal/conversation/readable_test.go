package conversation

import "testing"

// TestIndentJSON: a tool's input reads as text where it can (a command's
// own line breaks, key: value lines), else as indented JSON.
func TestIndentJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"command":"go test ./...\nmore"}`, "go test ./...\nmore"},
		{`{"file_path":"/a.go","old_string":"x","replace_all":false}`, "file_path: /a.go\nold_string: x\nreplace_all: false"},
		{`{"file_path":"/a.go","new_string":"one\ntwo"}`, "file_path: /a.go\nnew_string:\none\ntwo"},
		{`{"todos":[{"content":"a"}]}`, "{\n  \"todos\": [\n    {\n      \"content\": \"a\"\n    }\n  ]\n}"},
		{`{}`, ""},
		{`not json`, "not json"},
	} {
		if have := indentJSON(tc.in); have != tc.want {
			t.Errorf("indentJSON(%s):\nhave %q\nwant %q", tc.in, have, tc.want)
		}
	}
}
