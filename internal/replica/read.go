package replica

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// StaleAfter is how long a machine may be silent before its part is shown
// as stale: it is still read, as what it published is still true.
const StaleAfter = 7 * 24 * time.Hour

// maxManifest bounds a manifest read: another machine's files are
// untrusted input.
const maxManifest = 1 << 20

// Machine is another machine's part of the shared journal, read-only.
type Machine struct {
	ID, Name    string
	Dir         string // its part
	PublishedAt time.Time
	SessVersion string
	Stale       bool               // silent for StaleAfter
	Store       *store.Store       // its part, opened read-only
	Projects    map[string]Project // by slug
}

// Reader reads the other machines' parts, warning once per problem (a
// watch or a server reads them again and again).
type Reader struct {
	Dir    string // the shared folder
	SelfID string // this machine's id: its own part is not another's
	// Cache is where what is derived from another machine's part (its
	// search index) is kept, a folder per machine: the local store's
	// derived.Files.Machines. Without one, a search of another machine's
	// part builds its index in a folder of the system's temporary files:
	// never in the part, which is that machine's.
	Cache  string
	Now    func() time.Time
	Warnf  func(format string, args ...any)
	mu     sync.Mutex
	warned map[string]bool
}

// Others are the other machines' parts, by name. A part that cannot be
// read as one (not a folder, a symlink, no manifest yet, a manifest that
// is not JSON or names another machine, a newer format) is left out with
// one warning; none is a failure.
func (r *Reader) Others() []*Machine {
	dirs, err := PartDirs(r.Dir, r.SelfID)
	if err != nil {
		if !os.IsNotExist(err) {
			r.warn("read "+r.Dir, "cannot read the shared journal %s: %v", r.Dir, err)
		}
		return nil
	}
	var out []*Machine
	for _, dir := range dirs {
		if m := r.part(dir, filepath.Base(dir)); m != nil {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || out[i].Name == out[j].Name && out[i].ID < out[j].ID
	})
	return out
}

// PartDirs are the places of the parts in shared folder dir but self's:
// its machines folder's entries named as a machine (not a replicator's
// file, not a conflict copy), whether or not each is a readable part yet.
func PartDirs(dir, self string) ([]string, error) {
	root := filepath.Join(dir, "machines")
	entries, err := os.ReadDir(root)
	var out []string
	for _, e := range entries {
		if id := e.Name(); id != self && derived.ValidMachineID(id) {
			out = append(out, filepath.Join(root, id))
		}
	}
	return out, err
}

// StaleAt is whether the machine has published nothing for StaleAfter at
// now (Stale is as of its reading).
func (m *Machine) StaleAt(now time.Time) bool {
	return m.PublishedAt.IsZero() || now.Sub(m.PublishedAt) > StaleAfter
}

// UsageDir is where the machine's part keeps the summaries of what its
// conversations used (see usage.Published).
func (m *Machine) UsageDir() string { return filepath.Join(m.Dir, usageFolder) }

// part reads one machine's part; nil when it cannot be read as one.
func (r *Reader) part(dir, id string) *Machine {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		r.warn(dir+"/notdir", "skipping %s: not a folder (a symlink or a file)", dir)
		return nil
	}
	m, err := readManifest(filepath.Join(dir, "manifest.json"))
	switch {
	case os.IsNotExist(err):
		r.warn(dir+"/nomanifest", "skipping %s: no manifest yet (the replicator may not have finished)", dir)
		return nil
	case err != nil:
		r.warn(dir+"/badmanifest", "skipping %s: %v", dir, err)
		return nil
	case m.Format > Format:
		r.warn(dir+"/newer", "skipping machine %q (%s): written by a newer sess (%s, format %d); update sess to read it", m.Name, id, m.SessVersion, m.Format)
		return nil
	case m.Format < 1 || m.MachineID != id:
		r.warn(dir+"/badmanifest", "skipping %s: its manifest names another machine or no format", dir)
		return nil
	}
	cache := r.Cache
	if cache == "" {
		cache = filepath.Join(os.TempDir(), fmt.Sprintf("sess-%d-machines", os.Getuid()))
	}
	opts := store.Options{ReadOnly: true, Warnings: warnWriter{r, dir}, DerivedDir: filepath.Join(cache, id)}
	out := &Machine{ID: id, Dir: dir, Name: derived.CleanMachineName(m.Name), SessVersion: m.SessVersion, Projects: m.Projects,
		Store: store.Open(dir, opts)}
	out.PublishedAt, _ = time.Parse(time.RFC3339, m.PublishedAt)
	out.Stale = out.StaleAt(r.now())
	if out.Stale {
		r.warn(dir+"/stale", "machine %q has published nothing since %s: its sessions are shown as they were then", out.Name, m.PublishedAt)
	}
	return out
}

func readManifest(path string) (*Manifest, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxManifest {
		return nil, fmt.Errorf("its manifest is not a regular file of at most 1 MiB")
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, fmt.Errorf("read its manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("its manifest is not JSON (cut short?): %w", err)
	}
	return &m, nil
}

func (r *Reader) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// warn says a problem once per key.
func (r *Reader) warn(key, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.warned == nil {
		r.warned = map[string]bool{}
	}
	if r.warned[key] || r.Warnf == nil {
		return
	}
	r.warned[key] = true
	r.Warnf(format, args...)
}

// warnWriter takes a part's store warnings (one line each) to the
// reader's, once each, naming the part.
type warnWriter struct {
	r   *Reader
	dir string
}

func (w warnWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if line = strings.TrimPrefix(strings.TrimSpace(line), "sess: warning: "); line != "" {
			w.r.warn(w.dir+"/"+line, "machine part %s: %s", filepath.Base(w.dir), line)
		}
	}
	return len(p), nil
}
