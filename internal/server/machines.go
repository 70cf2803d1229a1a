package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/sess-dev/sess/pkg/store/journalfile"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/jsonout"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// One journal across machines (internal/replica): when a shared folder is
// set (Options.SyncDir, else machine.json's sync_dir), every answer that
// shows the work reads the other machines' parts of it too, each of their
// sessions marked with its machine's name, and the change stream fires
// when the replicator delivers a file into a part (events.go).
//
// The parts are read by one replica.Reader for the server's life, so that
// a problem of a part is logged once however often the page asks, and
// read again only when the list of parts, a part's manifest or a
// machine's staleness changes: a few stats tell. What an answer was made
// from is the journal's stamp: the store's fingerprint and, per part, its
// manifest's and its store folders' times, which every file the
// replicator renames into the part moves. Without another machine the
// stamp is the store's fingerprint, and every answer is what it was
// before there were machines.

// sharedJournal is the other machines' parts as the server reads them.
type sharedJournal struct {
	st  *store.Store
	dir string // the shared folder the server was given; "" for machine.json's
	log io.Writer

	mu     sync.Mutex
	reader replica.Reader
	key    string             // the list of parts and their manifests, when others was read
	others []*replica.Machine // by name
	warned warnOnce
}

func newSharedJournal(st *store.Store, log io.Writer) *sharedJournal {
	sj := &sharedJournal{st: st, log: log}
	sj.reader = replica.Reader{Now: st.View().Now, Warnf: sj.warnf}
	return sj
}

func (sj *sharedJournal) warnf(format string, args ...any) {
	if msg := fmt.Sprintf(format, args...); sj.warned.first(msg) {
		fmt.Fprintf(sj.log, "sess-serve: %s\n", msg)
	}
}

// where is the shared folder and this machine's id: "" and "" for none.
// machine.json is read each time (a few hundred bytes), so that a folder
// set with `sess-manage sync init` while the server runs is read from
// then on.
func (sj *sharedJournal) where() (dir, self string) {
	m, err := sj.st.Derived().Machine()
	if err != nil {
		sj.warnf("%v", err)
	}
	dir = sj.dir
	if m != nil {
		self = m.ID
		if dir == "" {
			dir = m.SyncDir
		}
	}
	return dir, self
}

// machines are the other machines' parts, read again when what they were
// read from has changed; nil without a shared folder.
func (sj *sharedJournal) machines() []*replica.Machine {
	dir, self := sj.where()
	if dir == "" {
		return nil
	}
	exists := sj.st.View().Exists()
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%t\n", dir, self, exists)
	parts, _ := replica.PartDirs(dir, self) // none readable: none to key
	for _, part := range parts {
		statInto(h, filepath.Join(part, "manifest.json"))
	}
	key := hex.EncodeToString(h.Sum(nil))
	sj.mu.Lock()
	defer sj.mu.Unlock()
	if key == sj.key && !sj.staleMoved() {
		return sj.others
	}
	sj.reader.Dir, sj.reader.SelfID = dir, self
	// What is derived from a part (its search index) is kept in the
	// store's folder, never in the part; while the store has no folder,
	// where the reader keeps it when given none, as a read must not make
	// the store's folder.
	sj.reader.Cache = ""
	if exists {
		sj.reader.Cache = sj.st.Derived().Machines()
	}
	sj.others, sj.key = sj.reader.Others(), key
	return sj.others
}

// staleMoved reports whether a machine has become stale (or is no longer)
// since its part was read: a machine silent for a week changes no file.
// The caller holds mu.
func (sj *sharedJournal) staleMoved() bool {
	now := sj.st.View().Now()
	for _, m := range sj.others {
		if m.StaleAt(now) != m.Stale {
			return true
		}
	}
	return false
}

// journal is every machine's journal as of now.
func (sj *sharedJournal) journal() *replica.Journal {
	return &replica.Journal{Local: sj.st, Others: sj.machines()}
}

// stampOf moves whenever an answer read from j could: the store's
// fingerprint alone without others; with them, each part's manifest and
// store folders too.
func stampOf(j *replica.Journal) string {
	fp := j.Local.View().Fingerprint()
	if len(j.Others) == 0 {
		return fp
	}
	h := sha256.New()
	io.WriteString(h, fp+"\n")
	for _, m := range j.Others {
		fmt.Fprintf(h, "%s %s %t %s\n", m.ID, m.Name, m.Stale, m.Store.View().Fingerprint())
		statInto(h, filepath.Join(m.Dir, "manifest.json"))
	}
	return "j" + hex.EncodeToString(h.Sum(nil)[:12])
}

// statInto writes a file's time and size into h, "-" when it is not there.
func statInto(h hash.Hash, path string) {
	if fi, err := os.Lstat(path); err == nil {
		fmt.Fprintf(h, "%s %d %d\n", path, fi.ModTime().UnixNano(), fi.Size())
	} else {
		fmt.Fprintf(h, "%s -\n", path)
	}
}

// watchFolders are the folders the change stream watches besides the
// store's: the shared folder, its machines folder, and in every other
// machine's part the folder itself (its manifest) and its store folders.
func (sj *sharedJournal) watchFolders() []string {
	dir, self := sj.where()
	if dir == "" {
		return nil
	}
	out := []string{dir, filepath.Join(dir, "machines")}
	parts, _ := replica.PartDirs(dir, self)
	for _, part := range parts {
		out = append(out, part)
		for _, f := range journalfile.Folders() {
			out = append(out, filepath.Join(part, filepath.FromSlash(f)))
		}
	}
	return out
}

// machineInfo is what the page is told of another machine: its name, when
// it last published, and whether it has been silent for a week.
type machineInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	PublishedAt string `json:"published_at"`
	Stale       bool   `json:"stale"`
}

func machinesInfo(others []*replica.Machine) []machineInfo {
	out := make([]machineInfo, 0, len(others))
	for _, m := range others {
		at := ""
		if !m.PublishedAt.IsZero() {
			at = m.PublishedAt.UTC().Format(time.RFC3339)
		}
		out = append(out, machineInfo{ID: m.ID, Name: m.Name, PublishedAt: at, Stale: m.Stale})
	}
	return out
}

// withMember is v encoded, with key: member after its fields.
func withMember(v any, key string, member any) (encoded, error) {
	b, err := jsonout.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonout.AppendMember(b, key, member)
}

// encoded is an answer encoded already.
type encoded []byte

// addActivity adds b's lines to a's, on the days a has.
func addActivity(a, b *overview.Activity) {
	day := make(map[string]int, len(a.Days))
	for i, d := range a.Days {
		day[d] = i
	}
	line := make(map[string]int, len(a.Projects))
	for i, p := range a.Projects {
		line[p.Slug] = i
	}
	for _, bp := range b.Projects {
		i, ok := line[bp.Slug]
		if !ok {
			i = len(a.Projects)
			line[bp.Slug] = i
			a.Projects = append(a.Projects, overview.ProjectActivity{Slug: bp.Slug, Sessions: make([]int, len(a.Days)), Hours: make([]float64, len(a.Days))})
		}
		ap := &a.Projects[i]
		for k, d := range b.Days {
			if n, ok := day[d]; ok && k < len(bp.Sessions) && k < len(bp.Hours) {
				ap.Sessions[n] += bp.Sessions[k]
				ap.Hours[n] = math.Round((ap.Hours[n]+bp.Hours[k])*100) / 100
			}
		}
	}
	slices.SortFunc(a.Projects, func(x, y overview.ProjectActivity) int { return strings.Compare(x.Slug, y.Slug) })
}
