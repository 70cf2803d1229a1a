package hookconf

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite ../../hooks/hooks.json")

// TestPluginHooks holds the plugin's hooks/hooks.json to the entries: the
// same as 'sess-manage hooks install' writes, with sess-hook from PATH.
func TestPluginHooks(t *testing.T) {
	const path = "../../hooks/hooks.json"
	want := Snippet(Program)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(want) {
		t.Errorf("%s is not what the entries give; run: go test ./internal/hookconf -update", path)
	}
}
