package configfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// ErrCorrupt marks bytes that are not a config file (pkg/store's
// ErrCorrupt).
var ErrCorrupt = disk.ErrUnusable

// Config is config.json as the tools use it: the registered projects in
// their order and the settings with defaults filled in.
type Config struct {
	Projects []ProjectEntry
	Settings session.Settings
}

// ProjectEntry is a registered project with its slug.
type ProjectEntry struct {
	Slug string
	session.Project
}

// Project looks up a registered project by slug.
func (c *Config) Project(slug string) (session.Project, bool) {
	for _, p := range c.Projects {
		if p.Slug == slug {
			return p.Project, true
		}
	}
	return session.Project{}, false
}

// ProjectList is the registered projects as list-projects prints them: an
// object keyed by slug, in registration order.
type ProjectList []ProjectEntry

// MarshalJSON writes the projects as {slug: {name, path, registered_at}}.
func (pl ProjectList) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range pl {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.Slug)
		v, err := json.Marshal(p.Project)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// OwnSettingKeys are the settings only sess has (see pkg/store's
// OwnSettingsFile), in the order they are reported.
var OwnSettingKeys = []string{"brief_max_chars", "waiting_notify_minutes", "notify_ntfy_url", "notify_webhook_url"}

// IsOwnSetting reports whether a settings key is sess's own (see
// pkg/store's OwnSettingsFile).
func IsOwnSetting(key string) bool { return slices.Contains(OwnSettingKeys, key) }

// Parse reads config.json's bytes: the projects in their order (a bad one
// skipped with a warning) and the settings with defaults filled in (a bad
// one takes its default, with a warning). Not a JSON object is ErrCorrupt.
func Parse(data []byte, warnf func(format string, args ...any)) (*Config, error) {
	top, _, _, err := codec.ScanObject(data)
	if err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", ErrCorrupt)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("invalid JSON: %w", ErrCorrupt)
	}
	cfg := &Config{Settings: session.DefaultSettings()}
	for _, m := range top {
		raw := data[m.ValStart:m.ValEnd]
		switch m.Key {
		case "projects":
			cfg.Projects = parseProjects(raw, warnf)
		case "settings":
			ParseSettings("config.json", raw, &cfg.Settings, false, warnf)
		}
	}
	return cfg, nil
}

func parseProjects(raw []byte, warnf func(format string, args ...any)) []ProjectEntry {
	members, _, _, err := codec.ScanObject(raw)
	if err != nil {
		warnf("config.json: projects is not an object; ignoring it")
		return nil
	}
	var out []ProjectEntry
	for _, m := range members {
		var p session.Project
		if err := json.Unmarshal(raw[m.ValStart:m.ValEnd], &p); err != nil {
			warnf("config.json: skipping project %q: %v", session.Clip(m.Key), err)
			continue
		}
		if session.ValidateSlug(m.Key) != nil {
			warnf("config.json: skipping project with invalid slug %q", session.Clip(m.Key))
			continue
		}
		out = append(out, ProjectEntry{Slug: m.Key, Project: p})
	}
	return out
}

// ParseSettings reads a settings object of file into st; own says the
// file is sess.json, which holds only sess's own settings.
func ParseSettings(file string, raw []byte, st *session.Settings, own bool, warnf func(format string, args ...any)) {
	members, _, _, err := codec.ScanObject(raw)
	if err != nil {
		warnf("%s: settings is not an object; using the defaults", file)
		return
	}
	prefix := file + ": settings."
	if own {
		prefix = file + ": "
	}
	ints := map[string]struct {
		p        *int
		min, max int
	}{
		"dashboard_port":         {&st.DashboardPort, 1, 65535},
		"stale_threshold_hours":  {&st.StaleThresholdHours, 1, 100000},
		"archive_after_days":     {&st.ArchiveAfterDays, 1, session.MaxDays},
		"parked_notify_hours":    {&st.ParkedNotifyHours, 1, 100000},
		"notify_cooldown_hours":  {&st.NotifyCooldownHours, 0, 100000},
		"brief_max_chars":        {&st.BriefMaxChars, 200, session.MaxBriefChars},
		"waiting_notify_minutes": {&st.WaitingNotifyMinutes, 1, 100000},
	}
	strs := map[string]*string{
		"notify_ntfy_url":    &st.NotifyNtfyURL,
		"notify_webhook_url": &st.NotifyWebhookURL,
	}
	for _, m := range members {
		val := raw[m.ValStart:m.ValEnd]
		if own && !IsOwnSetting(m.Key) {
			continue // sess.json holds sess's own settings only
		}
		if p, ok := strs[m.Key]; ok {
			// Only the type here: whether it is a URL that can be pushed
			// to is for check-notify to say, in its result.
			if err := json.Unmarshal(val, p); err != nil {
				warnf("%s%s must be a string (a URL); not pushing to it", prefix, m.Key)
			}
			continue
		}
		if m.Key == "notifications_enabled" {
			var b bool
			if err := json.Unmarshal(val, &b); err != nil {
				warnf("%snotifications_enabled must be true or false; using false", prefix)
				continue
			}
			st.NotificationsEnabled = b
			continue
		}
		spec, known := ints[m.Key]
		if !known {
			continue // kept in the file, unused here
		}
		var f float64
		if err := json.Unmarshal(val, &f); err != nil || f != math.Trunc(f) || f < float64(spec.min) || f > float64(spec.max) {
			warnf("%s%s must be a whole number from %d to %d (got %s); using %d", prefix, m.Key, spec.min, spec.max, session.Clip(string(val)), *spec.p)
			continue
		}
		*spec.p = int(f)
	}
}

// New is a config.json of one project and the default settings.
func New(slug string, p session.Project) ([]byte, error) {
	type file struct {
		Version  int                        `json:"version"`
		Projects map[string]session.Project `json:"projects"`
		Settings session.Settings           `json:"settings"`
	}
	return codec.Marshal(file{Version: 1, Projects: map[string]session.Project{slug: p}, Settings: session.DefaultSettings()})
}

// AddProject re-writes config.json with one more project, keeping
// every other key and its order, and with every setting in "settings" (the
// user's value, else the default), as the original writes the file.
func AddProject(data []byte, slug string, p session.Project) ([]byte, error) {
	top, _, _, err := codec.ScanObject(data)
	if err != nil {
		return nil, err
	}
	entry, err := codec.Marshal(p)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("{")
	wrote := false
	writeMember := func(k string, v []byte) error {
		if wrote {
			b.WriteString(",")
		}
		wrote = true
		kk, _ := json.Marshal(k)
		b.WriteString("\n  ")
		b.Write(kk)
		b.WriteString(": ")
		return indentInto(&b, v)
	}
	seen := map[string]bool{}
	for _, m := range top {
		val := data[m.ValStart:m.ValEnd]
		switch {
		case seen[m.Key]:
		case m.Key == "projects":
			val = withProject(val, slug, entry)
		case m.Key == "settings":
			val = fullSettings(val)
		}
		seen[m.Key] = true
		if err := writeMember(m.Key, val); err != nil {
			return nil, err
		}
	}
	if !seen["projects"] {
		if err := writeMember("projects", withProject([]byte("{}"), slug, entry)); err != nil {
			return nil, err
		}
	}
	if !seen["settings"] {
		if err := writeMember("settings", fullSettings([]byte("{}"))); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// OwnSettingsIn are the settings only sess has in config.json's
// "settings", as written.
func OwnSettingsIn(config []byte) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	top, _, _, err := codec.ScanObject(config)
	if err != nil {
		return out
	}
	for _, m := range top {
		if m.Key != "settings" {
			continue
		}
		val := config[m.ValStart:m.ValEnd]
		members, _, _, err := codec.ScanObject(val)
		if err != nil {
			return out
		}
		for _, sm := range members {
			if IsOwnSetting(sm.Key) {
				out[sm.Key] = json.RawMessage(val[sm.ValStart:sm.ValEnd])
			}
		}
	}
	return out
}

// withProject is the projects object val with one more member; a value of
// the wrong type is replaced by an object.
func withProject(val []byte, slug string, entry []byte) []byte {
	pm, _, _, err := codec.ScanObject(val)
	if err != nil {
		val, pm = []byte("{}"), nil
	}
	key, _ := json.Marshal(slug)
	var nv bytes.Buffer
	if len(pm) == 0 {
		nv.WriteString("{")
	} else {
		nv.Write(val[:pm[len(pm)-1].End])
		nv.WriteString(",")
	}
	nv.Write(key)
	nv.WriteString(":")
	nv.Write(entry)
	nv.WriteString("}")
	return nv.Bytes()
}

// SettingKeys are the settings, in the order the original writes them.
var SettingKeys = []string{"dashboard_port", "stale_threshold_hours", "archive_after_days", "notifications_enabled", "parked_notify_hours", "notify_cooldown_hours"}

// fullSettings is the settings object val with every setting: the user's
// value where there is one, else its default, then any other keys as they
// are but sess's own (moved to sess.json: see moveOwnSettings). A value of
// the wrong type gives the defaults.
func fullSettings(val []byte) []byte {
	members, _, _, err := codec.ScanObject(val)
	if err != nil {
		members = nil
	}
	have := map[string][]byte{}
	for _, m := range members {
		have[m.Key] = val[m.ValStart:m.ValEnd] // a later duplicate wins, as in a decoder
	}
	d, _ := json.Marshal(session.DefaultSettings())
	defaults := map[string]json.RawMessage{}
	json.Unmarshal(d, &defaults)
	var nv bytes.Buffer
	nv.WriteString("{")
	put := func(k string, v []byte) {
		if nv.Len() > 1 {
			nv.WriteString(",")
		}
		kk, _ := json.Marshal(k)
		nv.Write(kk)
		nv.WriteString(":")
		nv.Write(v)
	}
	known := map[string]bool{}
	for _, k := range SettingKeys {
		known[k] = true
		if v, ok := have[k]; ok {
			put(k, v)
		} else {
			put(k, defaults[k])
		}
	}
	done := map[string]bool{}
	for _, m := range members {
		if !known[m.Key] && !done[m.Key] && !IsOwnSetting(m.Key) {
			done[m.Key] = true
			put(m.Key, have[m.Key])
		}
	}
	nv.WriteString("}")
	return nv.Bytes()
}

// indentInto writes raw JSON re-indented for nesting level 1.
func indentInto(b *bytes.Buffer, raw []byte) error {
	var c bytes.Buffer
	if err := json.Compact(&c, raw); err != nil {
		return err
	}
	return json.Indent(b, c.Bytes(), "  ", "  ")
}
