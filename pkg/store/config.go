package store

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/configfile"
)

// Config is config.json as the tools use it: the registered projects in
// their order and the settings with defaults filled in.
type Config = configfile.Config

// ProjectEntry is a registered project with its slug.
type ProjectEntry = configfile.ProjectEntry

// ProjectList is the registered projects as list-projects prints them: an
// object keyed by slug, in registration order.
type ProjectList = configfile.ProjectList

// loadConfig reads config.json, and sess's own settings from sess.json (see
// OwnSettingsFile). A missing file gives the defaults; a corrupt one
// gives the defaults and no projects, with a warning, and is left as it is.
// A setting of the wrong type takes its default, with a warning.
func (s *Store) loadConfig() *Config {
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
	return configfile.Parse(data, s.warnf)
}

// OwnSettingsFile is where sess keeps the settings only it has, beside
// config.json: the original builds its settings from every key of
// config.json's "settings" and stops (a TypeError) on one it does not
// know, and drops other top-level keys when it rewrites the file.
const OwnSettingsFile = "sess.json"

// IsOwnSetting reports whether a settings key is sess's own (see
// OwnSettingsFile).
func IsOwnSetting(key string) bool { return configfile.IsOwnSetting(key) }

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
	configfile.ParseSettings(OwnSettingsFile, data, st, true, s.warnf)
}

func (s *Store) ownSettingsPath() string { return filepath.Join(s.dir, OwnSettingsFile) }

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
		out, err = configfile.New(slug, p)
	} else {
		cfg, perr := configfile.Parse(data, s.warnf)
		if perr != nil {
			return &session.Error{Code: session.CodeStore, Message: "config.json is corrupt; fix or move it away, then register again", Err: perr}
		}
		if _, ok := cfg.Project(slug); ok {
			return nil
		}
		if err := s.moveOwnSettings(data); err != nil {
			return err
		}
		out, err = configfile.AddProject(data, slug, p)
	}
	if err != nil {
		return err
	}
	return writeAtomic(s.configPath(), out)
}

// ownSettingsInConfig are the settings only sess has that config.json
// holds, which the original stops on (see OwnSettingsFile), in the order
// of configfile.OwnSettingKeys.
func (s *Store) ownSettingsInConfig() []string {
	data, err := readFile(s.configPath())
	if err != nil {
		return nil
	}
	own := configfile.OwnSettingsIn(data)
	var out []string
	for _, k := range configfile.OwnSettingKeys {
		if _, ok := own[k]; ok {
			out = append(out, k)
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
	moved := configfile.OwnSettingsIn(config)
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
