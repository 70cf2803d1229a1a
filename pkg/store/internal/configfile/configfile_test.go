package configfile

import (
	"encoding/json"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

// FuzzAddProject: whatever config.json holds, reading it never fails but
// with ErrCorrupt, and a file it can read gets one more project that a
// read then finds, with every setting, and JSON still.
func FuzzAddProject(f *testing.F) {
	for _, seed := range []string{
		`{"version": 1, "projects": {}, "settings": {"dashboard_port": 9100}}`,
		`{"projects": {"a": {"name": "A", "path": "/a", "registered_at": "2026-01-01T00:00:00"}}, "x": [1, 2]}`,
		`{"projects": [], "settings": "no", "settings": {"brief_max_chars": 1}}`,
		`{}`, `[]`, `{"projects": {"BAD SLUG!": {}}}`,
	} {
		f.Add([]byte(seed))
	}
	p := session.Project{Name: "New", Path: "/home/u/new", RegisteredAt: "2026-12-06T10:00:00"}
	f.Fuzz(func(t *testing.T, data []byte) {
		warn := func(string, ...any) {}
		if _, err := Parse(data, warn); err != nil {
			return
		}
		out, err := AddProject(data, "new", p)
		if err != nil {
			return // a value that does not re-indent: refused, not written
		}
		if !json.Valid(out) {
			t.Fatalf("not JSON:\n%s", out)
		}
		cfg, err := Parse(out, warn)
		if err != nil {
			t.Fatalf("written, then unreadable: %v\n%s", err, out)
		}
		if got, ok := cfg.Project("new"); !ok || got != p {
			t.Fatalf("project not found after AddProject: %+v %v\n%s", got, ok, out)
		}
		var top struct{ Settings map[string]json.RawMessage }
		json.Unmarshal(out, &top)
		for _, k := range SettingKeys {
			if _, ok := top.Settings[k]; !ok {
				t.Fatalf("setting %s missing:\n%s", k, out)
			}
		}
	})
}
