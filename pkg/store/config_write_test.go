package store

import (
	"bytes"
	"encoding/json"
	"github.com/sess-dev/sess/pkg/store/internal/configfile"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestRegisterFillsSettings: when sess writes config.json, "settings"
// holds every setting, the user's value or else the default, as the
// original writes it (its output for the same input is kept in testdata);
// keys the original does not know are kept after them.
func TestRegisterFillsSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		extra    map[string]any // beyond what the original wrote
	}{
		{"one setting", `{"version": 1, "projects": {}, "settings": {"dashboard_port": 9100}}`, nil},
		{"unknown kept", `{"version": 1, "projects": {}, "settings": {"dashboard_port": 9100, "custom_thing": true}}`, map[string]any{"custom_thing": true}},
		{"sess's own settings moved out", `{"version": 1, "projects": {}, "settings": {"dashboard_port": 9100, "notify_ntfy_url": "https://ntfy.sh/t1", "notify_webhook_url": "ftp://not-valid", "waiting_notify_minutes": 5}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.configPath(), []byte(tc.in), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RegisterProject("My App", "/tmp/p/My_App"); err != nil {
				t.Fatal(err)
			}
			have, want := readConfigJSON(t, s.configPath()), readConfigJSON(t, filepath.Join("..", "..", "testdata", "original-output", "config-after-register.json"))
			for k, v := range tc.extra {
				want["settings"].(map[string]any)[k] = v
			}
			for _, c := range []map[string]any{have, want} {
				delete(c["projects"].(map[string]any)["my-app"].(map[string]any), "registered_at")
			}
			if !reflect.DeepEqual(want, have) {
				t.Errorf("config.json:\nthe original %v\nsess         %v", want, have)
			}
			// The order the original writes the settings in.
			data, _ := os.ReadFile(s.configPath())
			var raw struct{ Settings json.RawMessage }
			json.Unmarshal(data, &raw)
			if got := keysInOrder(t, raw.Settings); !reflect.DeepEqual(got[:len(configfile.SettingKeys)], configfile.SettingKeys) {
				t.Errorf("settings in order %v", got)
			}
		})
	}
}

// TestOwnSettings: sess's own settings live in sess.json, where the
// original, which stops on a settings key it does not know, never looks;
// those an earlier sess left in config.json are read, and moved to
// sess.json (whose values win) when sess next writes config.json.
func TestOwnSettings(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	os.MkdirAll(s.Dir(), 0o700)
	os.WriteFile(s.configPath(), []byte(`{"version": 1, "projects": {}, "settings": {"dashboard_port": 9100, "brief_max_chars": 3000, "waiting_notify_minutes": 5}}`), 0o600)
	os.WriteFile(s.ownSettingsPath(), []byte(`{"waiting_notify_minutes": 7, "notify_ntfy_url": "https://ntfy.sh/t1", "dashboard_port": 1}`), 0o600)
	check := func(when string) {
		t.Helper()
		st := s.loadConfig().Settings
		if st.BriefMaxChars != 3000 || st.WaitingNotifyMinutes != 7 || st.NotifyNtfyURL != "https://ntfy.sh/t1" || st.DashboardPort != 9100 {
			t.Errorf("%s: settings %+v", when, st)
		}
	}
	check("before")
	if _, err := s.RegisterProject("My App", "/tmp/p/My_App"); err != nil {
		t.Fatal(err)
	}
	check("after")
	cfg := readConfigJSON(t, s.configPath())
	for _, k := range configfile.OwnSettingKeys {
		if _, ok := cfg["settings"].(map[string]any)[k]; ok {
			t.Errorf("config.json still holds %s", k)
		}
	}
	own := readConfigJSON(t, s.ownSettingsPath())
	if own["brief_max_chars"] != 3000.0 || own["waiting_notify_minutes"] != 7.0 || own["notify_ntfy_url"] != "https://ntfy.sh/t1" {
		t.Errorf("sess.json: %v", own)
	}
}

func readConfigJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func keysInOrder(t *testing.T, obj []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	var keys []string
	tok, _ := dec.Token()
	if tok != json.Delim('{') {
		t.Fatalf("not an object: %s", obj)
	}
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	return keys
}
