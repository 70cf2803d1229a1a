package overview_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/jsonout"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// overviewOf is the store's overview, read as the tools read it.
func overviewOf(t testing.TB, st *store.Store) (*overview.Overview, error) {
	t.Helper()
	return overview.Read(st)
}

// configPath is the store's config.json.
func configPath(s *storetest.Clocked) string { return filepath.Join(s.Dir(), "config.json") }

// overviewStore is a store with an active session in each of two projects,
// registered as zeta first and alpha second, so that the registration order
// differs from the slug order.
func overviewStore(t *testing.T) *storetest.Clocked {
	t.Helper()
	s := storetest.NewClocked(t)
	for _, p := range [][2]string{{"Zeta App", "/src/zeta"}, {"Alpha App", "/src/alpha"}} {
		if _, err := s.RegisterProject(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	s.MustCreate(t, "zeta", "z work")
	s.MustCreate(t, "alpha", "a work")
	return s
}

// overviewLines is what the test compares of each project:
// slug, name, path and the intent of its active session.
func overviewLines(t *testing.T, ov *overview.Overview) []string {
	t.Helper()
	var out []string
	for _, p := range ov.Projects {
		line := p.Slug + "|" + p.Name + "|" + p.Path
		for _, a := range p.ActiveSessions {
			line += "|" + a.Intent
		}
		if want, have := len(p.ActiveSessions), p.ActiveCount; want != have {
			t.Errorf("%s: active_count: want %d, have %d", p.Slug, want, have)
		}
		out = append(out, line)
	}
	return out
}

func TestOverviewCorruptConfigShowsSessionProjects(t *testing.T) {
	t.Parallel()
	for name, corrupt := range map[string]func(data []byte) []byte{
		"truncated": func(data []byte) []byte { return data[:len(data)/2] },
		"empty":     func([]byte) []byte { return nil },
		"garbage":   func([]byte) []byte { return []byte("{not json") },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := overviewStore(t)
			data, err := os.ReadFile(configPath(s))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(configPath(s), corrupt(data), 0o600); err != nil {
				t.Fatal(err)
			}
			ov, err := overviewOf(t, s.Store)
			if err != nil {
				t.Fatalf("overview: %v", err)
			}
			// Derived projects come in slug order: the registration order
			// is in the corrupt file.
			want := []string{"alpha|alpha||a work", "zeta|zeta||z work"}
			if have := overviewLines(t, ov); strings.Join(have, "\n") != strings.Join(want, "\n") {
				t.Errorf("projects: want %q, have %q", want, have)
			}
			if want, have := session.DefaultSettings(), ov.Settings; want != have {
				t.Errorf("settings: want %+v, have %+v", want, have)
			}
			warnings := s.Warnings()
			if want, have := 1, strings.Count(warnings, "\n"); want != have {
				t.Errorf("warning lines: want %d, have %d:\n%s", want, have, warnings)
			}
			if !strings.Contains(warnings, "config.json") {
				t.Errorf("the warning does not name config.json: %q", warnings)
			}
			// The overview only reads: the corrupt file is left as it is.
			if after, _ := os.ReadFile(configPath(s)); string(after) != string(corrupt(data)) {
				t.Errorf("config.json changed: %q", after)
			}
		})
	}
}

func TestOverviewValidConfigKeepsRegistry(t *testing.T) {
	t.Parallel()
	s := overviewStore(t)
	// A session of a project that is not registered stays out, as before.
	s.MustCreate(t, "unregistered", "u work")
	ov, err := overviewOf(t, s.Store)
	if err != nil {
		t.Fatalf("overview: %v", err)
	}
	want := []string{"zeta|Zeta App|/src/zeta|z work", "alpha|Alpha App|/src/alpha|a work"}
	if have := overviewLines(t, ov); strings.Join(have, "\n") != strings.Join(want, "\n") {
		t.Errorf("projects: want %q, have %q", want, have)
	}
	if w := s.Warnings(); w != "" {
		t.Errorf("want no warning, have:\n%s", w)
	}
}

func TestOverviewMissingConfigShowsNoProject(t *testing.T) {
	t.Parallel()
	s := storetest.NewClocked(t)
	s.MustCreate(t, "alpha", "a work")
	if _, err := os.Stat(configPath(s)); !os.IsNotExist(err) {
		t.Fatalf("want no config.json, have %v", err)
	}
	ov, err := overviewOf(t, s.Store)
	if err != nil {
		t.Fatalf("overview: %v", err)
	}
	// As the original: no config.json is an empty registry, not an error.
	if want, have := 0, len(ov.Projects); want != have {
		t.Errorf("projects: want %d, have %d: %+v", want, have, ov.Projects)
	}
	if w := s.Warnings(); w != "" {
		t.Errorf("want no warning, have:\n%s", w)
	}
}

// TestPushSettings: notify_ntfy_url and notify_webhook_url are read as
// written (check-notify judges them) and never echoed: the overview, which
// the page and `sess-manage overview` print, leaves them out. A value that
// is not a string is warned about and left unused.
func TestPushSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, settings   string
		wantNtfy, wantWH string
		wantWarning      string
	}{
		{"both", `"notify_ntfy_url": "https://ntfy.sh/t1", "notify_webhook_url": "https://hooks.example/x"`, "https://ntfy.sh/t1", "https://hooks.example/x", ""},
		{"kept as written", `"notify_ntfy_url": "ntfy.sh/t1"`, "ntfy.sh/t1", "", ""},
		{"not a string", `"notify_ntfy_url": 42, "notify_webhook_url": ["https://hooks.example/x"]`, "", "", "settings.notify_ntfy_url must be a string"},
		{"null", `"notify_ntfy_url": null`, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.NewClocked(t)
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			cfg := `{"version": 1, "projects": {}, "settings": {` + tc.settings + `}}`
			if err := os.WriteFile(configPath(s), []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			st := s.View().Config().Settings
			if st.NotifyNtfyURL != tc.wantNtfy || st.NotifyWebhookURL != tc.wantWH {
				t.Errorf("want %q, %q; have %q, %q", tc.wantNtfy, tc.wantWH, st.NotifyNtfyURL, st.NotifyWebhookURL)
			}
			if w := s.Warnings(); !strings.Contains(w, tc.wantWarning) || tc.wantWarning == "" && w != "" {
				t.Errorf("warnings: want %q, have %q", tc.wantWarning, w)
			}
			ov, err := overviewOf(t, s.Store)
			if err != nil {
				t.Fatal(err)
			}
			out, err := jsonout.Marshal(ov)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), "hooks.example") || strings.Contains(string(out), "ntfy.sh") {
				t.Errorf("the overview echoes a push URL:\n%s", out)
			}
		})
	}
}
