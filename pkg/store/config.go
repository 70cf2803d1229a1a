package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
)

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

// Config reads config.json, and sess's own settings from sess.json (see
// OwnSettingsFile). A missing file gives the defaults; a corrupt one
// gives the defaults and no projects, with a warning, and is left as it is.
// A setting of the wrong type takes its default, with a warning.
func (s *Store) Config() *Config {
	cfg, err := s.readConfig()
	if err != nil {
		if !isNotExist(err) {
			s.warnf("ignoring config.json: %v", err)
		}
		cfg = &Config{Settings: session.DefaultSettings()}
	}
	s.readOwnSettings(&cfg.Settings)
	return cfg
}

// readConfig reads config.json alone (sess.json aside).
func (s *Store) readConfig() (*Config, error) {
	data, err := readFile(s.configPath())
	if err != nil {
		return nil, err
	}
	return s.parseConfig(data)
}

// OwnSettingsFile is where sess keeps the settings only it has, beside
// config.json: the original builds its settings from every key of
// config.json's "settings" and stops (a TypeError) on one it does not
// know, and drops other top-level keys when it rewrites the file.
const OwnSettingsFile = "sess.json"

// ownSettingKeys are the settings only sess has.
var ownSettingKeys = []string{"brief_max_chars", "waiting_notify_minutes", "notify_ntfy_url", "notify_webhook_url"}

// IsOwnSetting reports whether a settings key is sess's own (see
// OwnSettingsFile).
func IsOwnSetting(key string) bool { return slices.Contains(ownSettingKeys, key) }

// readOwnSettings lays sess.json's settings over st (they win over any
// config.json of an earlier sess still holds). A missing file is none; a
// corrupt one is a warning.
func (s *Store) readOwnSettings(st *session.Settings) {
	data, err := readFile(s.ownSettingsPath())
	if err != nil {
		if !isNotExist(err) {
			s.warnf("ignoring %s: %v", OwnSettingsFile, err)
		}
		return
	}
	if !json.Valid(data) {
		s.warnf("ignoring %s: not JSON", OwnSettingsFile)
		return
	}
	s.parseSettings(OwnSettingsFile, data, st, true)
}

func (s *Store) ownSettingsPath() string { return filepath.Join(s.dir, OwnSettingsFile) }

func (s *Store) parseConfig(data []byte) (*Config, error) {
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
			cfg.Projects = s.parseProjects(raw)
		case "settings":
			s.parseSettings("config.json", raw, &cfg.Settings, false)
		}
	}
	return cfg, nil
}

func (s *Store) parseProjects(raw []byte) []ProjectEntry {
	members, _, _, err := codec.ScanObject(raw)
	if err != nil {
		s.warnf("config.json: projects is not an object; ignoring it")
		return nil
	}
	var out []ProjectEntry
	for _, m := range members {
		var p session.Project
		if err := json.Unmarshal(raw[m.ValStart:m.ValEnd], &p); err != nil {
			s.warnf("config.json: skipping project %q: %v", session.Clip(m.Key), err)
			continue
		}
		if session.ValidateSlug(m.Key) != nil {
			s.warnf("config.json: skipping project with invalid slug %q", session.Clip(m.Key))
			continue
		}
		out = append(out, ProjectEntry{Slug: m.Key, Project: p})
	}
	return out
}

// parseSettings reads a settings object of file into st; own says the
// file is sess.json, which holds only sess's own settings.
func (s *Store) parseSettings(file string, raw []byte, st *session.Settings, own bool) {
	members, _, _, err := codec.ScanObject(raw)
	if err != nil {
		s.warnf("%s: settings is not an object; using the defaults", file)
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
				s.warnf("%s%s must be a string (a URL); not pushing to it", prefix, m.Key)
			}
			continue
		}
		if m.Key == "notifications_enabled" {
			var b bool
			if err := json.Unmarshal(val, &b); err != nil {
				s.warnf("%snotifications_enabled must be true or false; using false", prefix)
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
			s.warnf("%s%s must be a whole number from %d to %d (got %s); using %d", prefix, m.Key, spec.min, spec.max, session.Clip(string(val)), *spec.p)
			continue
		}
		*spec.p = int(f)
	}
}

// RegisterProject registers a project under the slug of its path and returns
// the slug. It is idempotent: a registered slug keeps its first name and path.
// Other keys of config.json, known or not, are kept as they are.
func (s *Store) RegisterProject(name, path string) (string, error) {
	name, err := session.CleanText("name", name, session.MaxProjectName, session.Line)
	if err != nil {
		return "", err
	}
	if path, err = session.CleanProjectPath(path); err != nil {
		return "", err
	}
	slug := session.SlugOf(path)
	if err := session.ValidateSlug(slug); err != nil {
		return "", session.Invalid("path", "the folder name %q does not make a valid project slug (lowercase letters, digits, '-', ' ' and '_')", session.Clip(slug))
	}
	if err := s.ensureDirs(); err != nil {
		return "", err
	}
	err = s.withLocks(func(h *held) error {
		if err := h.take(kindConfig, ""); err != nil {
			return err
		}
		return s.addProject(slug, session.Project{Name: name, Path: path, RegisteredAt: s.nowString()})
	})
	if err != nil {
		return "", err
	}
	return slug, nil
}

// addProject adds a project to config.json unless its slug is there; the
// caller holds the config lock.
func (s *Store) addProject(slug string, p session.Project) error {
	data, err := readFile(s.configPath())
	switch {
	case isNotExist(err):
		data = nil
	case err != nil:
		return fmt.Errorf("read config.json: %w", err)
	}
	var out []byte
	if data == nil {
		out, err = newConfigFile(slug, p)
	} else {
		cfg, perr := s.parseConfig(data)
		if perr != nil {
			return &session.Error{Code: session.CodeStore, Message: "config.json is corrupt; fix or move it away, then register again", Err: perr}
		}
		if _, ok := cfg.Project(slug); ok {
			return nil
		}
		if err := s.moveOwnSettings(data); err != nil {
			return err
		}
		out, err = addProjectToConfig(data, slug, p)
	}
	if err != nil {
		return err
	}
	return writeAtomic(s.configPath(), out)
}

func newConfigFile(slug string, p session.Project) ([]byte, error) {
	type file struct {
		Version  int                        `json:"version"`
		Projects map[string]session.Project `json:"projects"`
		Settings session.Settings           `json:"settings"`
	}
	return marshal(file{Version: 1, Projects: map[string]session.Project{slug: p}, Settings: session.DefaultSettings()})
}

// addProjectToConfig re-writes config.json with one more project, keeping
// every other key and its order, and with every setting in "settings" (the
// user's value, else the default), as the original writes the file.
func addProjectToConfig(data []byte, slug string, p session.Project) ([]byte, error) {
	top, _, _, err := codec.ScanObject(data)
	if err != nil {
		return nil, err
	}
	entry, err := marshal(p)
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

// OwnSettingsInConfig are the settings only sess has that config.json
// holds, which the original stops on (see OwnSettingsFile), in the order
// of ownSettingKeys.
func (s *Store) OwnSettingsInConfig() []string {
	data, err := readFile(s.configPath())
	if err != nil {
		return nil
	}
	own := ownSettingsIn(data)
	var out []string
	for _, k := range ownSettingKeys {
		if _, ok := own[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

// ownSettingsIn are the settings only sess has in config.json's
// "settings", as written.
func ownSettingsIn(config []byte) map[string]json.RawMessage {
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

// moveOwnSettings copies the settings only sess has that config.json's
// settings hold (an earlier sess kept them there) into sess.json, where a
// value already there wins, before config.json is written without them;
// the caller holds the config lock. Killed between the two writes, both
// files hold them, and sess.json's win.
func (s *Store) moveOwnSettings(config []byte) error {
	moved := ownSettingsIn(config)
	if len(moved) == 0 {
		return nil
	}
	if data, err := readFile(s.ownSettingsPath()); err == nil {
		var have map[string]json.RawMessage
		if json.Unmarshal(data, &have) != nil {
			return &session.Error{Code: session.CodeStore, Message: OwnSettingsFile + " is corrupt; fix or move it away, then try again"}
		}
		maps.Copy(moved, have)
	} else if !isNotExist(err) {
		return fmt.Errorf("read %s: %w", OwnSettingsFile, err)
	}
	out, err := marshal(moved)
	if err != nil {
		return err
	}
	return writeAtomic(s.ownSettingsPath(), out)
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

// settingKeys are the settings, in the order the original writes them.
var settingKeys = []string{"dashboard_port", "stale_threshold_hours", "archive_after_days", "notifications_enabled", "parked_notify_hours", "notify_cooldown_hours"}

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
	for _, k := range settingKeys {
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
