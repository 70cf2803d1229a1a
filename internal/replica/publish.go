package replica

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/sess-dev/sess/internal/atomicfile"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
	"github.com/sess-dev/sess/pkg/store/journalfile"
)

// Format is the version of a part's layout this sess writes; a part of a
// later one is read by a later sess only.
const Format = 1

// Manifest is a part's manifest.json.
type Manifest struct {
	Format      int                `json:"format"`
	MachineID   string             `json:"machine_id"`
	Name        string             `json:"name"`
	SessVersion string             `json:"sess_version"`
	PublishedAt string             `json:"published_at"`
	Sessions    int                `json:"sessions"` // live ones, as the index has them
	Projects    map[string]Project `json:"projects"`
}

// Project is what a part says of a project beyond its files: where its
// repository lives, which makes it one project across machines.
type Project struct {
	GitRemote string `json:"git_remote,omitempty"`
}

// Published is what a Publish did.
type Published struct {
	Dir       string `json:"dir"`
	Copied    int    `json:"copied"`
	Removed   int    `json:"removed"`
	Unchanged int    `json:"unchanged"`
	Bytes     int64  `json:"bytes"`
}

// Publisher publishes one store's journal into a shared folder. It keeps
// the projects' git remotes between publishes (a watch publishes often).
type Publisher struct {
	St      *store.Store
	Machine *derived.Machine
	Dir     string // the shared folder
	Version string // sess's
	Now     func() time.Time
	remotes map[string]string // a project's path → its git remote
	cursor  derived.Cursor    // the change feed, as far as the last publish read it
	read    bool              // cursor is set: a publish since may copy just what the feed names
	// CursorFile keeps the cursor between runs (sess-manage sync), so
	// that a run after a change copies what changed without looking at
	// every file; "" keeps it for the Publisher's life.
	CursorFile string
}

// PartOf is a machine's part of the shared folder dir.
func PartOf(dir, machineID string) string { return filepath.Join(dir, "machines", machineID) }

// Publish copies what changed of the journal into this machine's part,
// removes what the journal no longer has, and writes the manifest when
// anything changed or it is an hour old.
//
// The first publish of a Publisher looks at every file; the next ones copy
// the sessions the store's change feed names (and the index, projects and
// config.json, and the usage summaries), unless the feed cannot account
// for every change (another tool wrote, as the original does), when they
// look at every file again.
func (p *Publisher) Publish() (Published, error) {
	part := PartOf(p.Dir, p.Machine.ID)
	res := Published{Dir: part}
	if err := os.MkdirAll(part, 0o755); err != nil {
		return res, fmt.Errorf("publish to %s: %w", p.Dir, err)
	}
	// One publisher at a time (sess-serve and sync --watch may both run):
	// each would take the other's temporary files for a killed one's.
	lock := flock.New(filepath.Join(p.St.Derived().Machines(), "publish.lock"))
	if err := os.MkdirAll(filepath.Dir(lock.Path()), 0o700); err != nil {
		return res, err
	}
	if err := lock.Lock(); err != nil {
		return res, fmt.Errorf("publish: take its lock: %w", err)
	}
	defer lock.Unlock()
	// The machine may have been renamed since (sess-manage machine name).
	if m, err := p.St.Derived().Machine(); err == nil && m != nil && m.ID == p.Machine.ID {
		p.Machine = m
	}
	p.loadCursor(part)
	files, changed, next, err := p.toPublish()
	if err != nil {
		return res, err
	}
	want := map[string]bool{}
	for _, f := range files {
		want[f.Rel] = true
		dst := filepath.Join(part, filepath.FromSlash(f.Rel))
		if same(dst, f) {
			res.Unchanged++
			continue
		}
		if err := copyFile(f, dst); err != nil {
			return res, fmt.Errorf("publish %s: %w", f.Rel, err)
		}
		res.Copied++
		res.Bytes += f.Size
	}
	if changed == nil {
		res.Removed = removeOthers(part, want)
	} else {
		res.Removed = removeMoved(part, changed, want)
	}
	if res.Copied+res.Removed > 0 || p.manifestOld(part) {
		if err := p.writeManifest(part); err != nil {
			return res, err
		}
	}
	p.cursor, p.read = next, true
	p.saveCursor()
	return res, nil
}

// loadCursor takes the last run's cursor, unless the part looks other than
// that run left it (no manifest, or an hour old): then every file is
// looked at.
func (p *Publisher) loadCursor(part string) {
	if p.read || p.CursorFile == "" || p.manifestOld(part) {
		return
	}
	if data, err := os.ReadFile(p.CursorFile); err == nil {
		p.cursor, p.read = derived.ParseCursor(strings.TrimSpace(string(data))), true
	}
}

// saveCursor keeps the cursor for the next run; one that cannot be kept
// only makes the next run look at every file.
func (p *Publisher) saveCursor() {
	if p.CursorFile != "" {
		atomicfile.WriteFile(p.CursorFile, []byte(p.cursor.String()+"\n"))
	}
}

// toPublish are the files a publish looks at: every journal file, or
// (changed not nil) those of the sessions the change feed names since the
// last publish; next is the feed's cursor after them.
func (p *Publisher) toPublish() (files []journalfile.File, changed []string, next derived.Cursor, err error) {
	d := p.St.Derived()
	if p.read {
		ids, nxt, complete := d.Changes(p.cursor)
		if complete {
			files = append(p.St.View().JournalFilesOf(ids), usageSummaries(d.Usage())...)
			return files, append([]string{}, ids...), nxt, nil
		}
	}
	next, err = d.ChangesNow() // before the files are looked at
	if err != nil {
		next = derived.Cursor{} // never complete: the next publish looks at every file
	}
	if files, err = p.St.View().JournalFiles(); err != nil {
		return nil, nil, next, err
	}
	return append(files, usageSummaries(d.Usage())...), nil, next, nil
}

// removeMoved removes the part's copies of the changed sessions that are
// not where the store has them now (archived: the live copy goes).
func removeMoved(part string, changed []string, want map[string]bool) int {
	n := 0
	for _, id := range changed {
		for _, place := range journalfile.SessionPlaces(id) {
			rel := place[0] + "/" + place[1]
			if !want[rel] && os.Remove(filepath.Join(part, filepath.FromSlash(rel))) == nil {
				n++
			}
		}
	}
	return n
}

// same reports whether the part's copy is the file as published: its size
// and time are the original's (copyFile sets them).
func same(dst string, f journalfile.File) bool {
	fi, err := os.Lstat(dst)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == f.Size && fi.ModTime().Equal(f.ModTime)
}

// copyFile copies a journal file into the part through a temporary file
// (".<name>.<digits>.tmp") renamed into place, its time set to the
// original's.
func copyFile(f journalfile.File, dst string) error {
	src, err := os.OpenFile(f.Path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return err
	}
	defer src.Close()
	if fi, err := src.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", f.Path)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, io.LimitReader(src, store.MaxFileSize+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(tmp.Name(), f.ModTime, f.ModTime)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// removeOthers removes from the part the journal files the journal no
// longer has (a session archived moved, a project's state gone), and
// temporary files a killed publish left. It removes nothing else.
func removeOthers(part string, want map[string]bool) int {
	n := 0
	for _, rel := range append(journalfile.Folders(), usageFolder) {
		dir := filepath.Join(part, filepath.FromSlash(rel))
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() {
				continue
			}
			// A publish's own temporary files a killed one left, and
			// conflict copies (only a second writer of this part, a
			// machine with this one's id, could cause one) go too.
			leftover := strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") && !strings.HasPrefix(name, ".syncthing.") ||
				strings.Contains(name, ".sync-conflict-")
			if leftover || (isJournalName(rel, name) && !want[rel+"/"+name]) {
				if os.Remove(filepath.Join(dir, name)) == nil && !leftover {
					n++
				}
			}
		}
	}
	return n
}

// usageFolder is the part's folder of usage summaries.
const usageFolder = "usage"

// isJournalName reports whether name in the part's folder rel is one a
// publish writes.
func isJournalName(rel, name string) bool {
	if rel == usageFolder {
		stem, ok := strings.CutSuffix(name, ".sum")
		return ok && len(stem) == 32 && strings.Trim(stem, "0123456789abcdef") == ""
	}
	return journalfile.IsName(rel, name)
}

func (p *Publisher) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Stale reports whether the part's manifest is due to be written again
// (an hour old), for a watch that has seen no change.
func (p *Publisher) Stale() bool { return p.manifestOld(PartOf(p.Dir, p.Machine.ID)) }

// manifestOld reports whether the manifest is missing, an hour old (a
// machine that has published nothing new still says it is there), or names
// the machine otherwise than it is now named.
func (p *Publisher) manifestOld(part string) bool {
	path := filepath.Join(part, "manifest.json")
	fi, err := os.Stat(path)
	if err != nil || p.now().Sub(fi.ModTime()) > time.Hour {
		return true
	}
	m, err := readManifest(path)
	return err != nil || m.Name != p.Machine.Name
}

func (p *Publisher) writeManifest(part string) error {
	m := Manifest{Format: Format, MachineID: p.Machine.ID, Name: p.Machine.Name, SessVersion: p.Version,
		PublishedAt: p.now().UTC().Format(time.RFC3339), Projects: p.projects()}
	if idx, err := p.St.View().Entries(); err == nil {
		m.Sessions = len(idx)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	dst := filepath.Join(part, "manifest.json")
	tmp, err := os.CreateTemp(part, ".manifest.json.*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// projects are the registered projects' git remotes, read with git once
// per project folder for the Publisher's life.
func (p *Publisher) projects() map[string]Project {
	out := map[string]Project{}
	if p.remotes == nil {
		p.remotes = map[string]string{}
	}
	for _, e := range p.St.View().Config().Projects {
		remote, ok := p.remotes[e.Path]
		if !ok {
			remote = gitRemote(e.Path)
			p.remotes[e.Path] = remote
		}
		out[e.Slug] = Project{GitRemote: remote}
	}
	return out
}

// gitRemote is the folder's repository's origin, "" when it has none.
func gitRemote(dir string) string {
	if dir == "" {
		return ""
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	out, err := exec.Command("git", "-C", dir, "config", "--get", "remote.origin.url").Output()
	if err != nil {
		return ""
	}
	return withoutSecret(strings.TrimSpace(string(out)))
}

// withoutSecret is a remote without the credentials a URL may carry
// (https://user:token@host/...): a part is read on every machine.
func withoutSecret(remote string) string {
	if u, err := url.Parse(remote); err == nil && u.Host != "" && u.User != nil {
		u.User = nil
		return u.String()
	}
	return remote
}

// usageSummaries are the summaries of what this machine's conversations
// used (internal/usage keeps them in dir): published so that the other
// machines count this one's usage, which they have no transcript of.
func usageSummaries(dir string) []journalfile.File {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []journalfile.File
	for _, e := range entries {
		if !e.Type().IsRegular() || !isJournalName(usageFolder, e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, journalfile.File{Rel: usageFolder + "/" + e.Name(), Path: filepath.Join(dir, e.Name()), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	return out
}
