package store

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/derived"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// Store is a handle on one store folder. It holds no open files; every
// operation locks, reads and writes what it needs and lets go.
type Store struct {
	dir      string
	readOnly bool
	now      func() time.Time
	rand     io.Reader
	warnings io.Writer

	// beforeLock, set by tests, runs before a change locks each session: the
	// moment another process could change it.
	beforeLock func(id string)

	derived *derived.Files

	mendOnce sync.Once
	warnMu   sync.Mutex
	randMu   sync.Mutex
}

// Options are the outside world a Store uses; zero values take the real one.
type Options struct {
	Now      func() time.Time // the clock
	Rand     io.Reader        // randomness for ids
	Warnings io.Writer        // one line per skipped file or mended record; nil discards
	// ReadOnly makes the queries of this Store change no byte on disk: no
	// mending, no rebuilt index written (for dry runs). Writes still write.
	ReadOnly bool
	// DerivedDir is where the store's derived files (package derived: the
	// search's index among them) are kept, when not in its folder: another
	// machine's part of a shared journal is read here, and what is derived
	// from it is this machine's to keep.
	DerivedDir string
}

// Derived is the owner of the store's derived files (see package derived):
// what the hooks keep per conversation, the highlights, the search's
// folder.
func (s *Store) Derived() *derived.Files { return s.derived }

// DefaultDir is the store folder of a user whose home is home: the
// original's ~/.claude/dashboard.
func DefaultDir(home string) string { return filepath.Join(home, ".claude", "dashboard") }

// Open returns a Store over dir. It does no I/O: a missing folder is an empty
// store, created on the first write.
func Open(dir string, opts Options) *Store {
	s := &Store{dir: dir, now: opts.Now, rand: opts.Rand, warnings: opts.Warnings, readOnly: opts.ReadOnly}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = runtimeRand{}
	}
	if s.warnings == nil {
		s.warnings = io.Discard
	}
	derivedDir := dir
	if opts.DerivedDir != "" {
		derivedDir = opts.DerivedDir
	}
	s.derived = derived.New(derivedDir, s.now, s.warnf, s.sessionsDir(), s.archiveDir())
	return s
}

// runtimeRand reads the runtime's generator (math/rand/v2), which the
// runtime seeds from the system's randomness in every process. Ids need to
// be unique, not secret, and a clash is drawn again; crypto/rand would add
// its packages' start-up to every command.
type runtimeRand struct{}

func (runtimeRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(rand.Uint32())
	}
	return len(p), nil
}

// dirExists reports whether the store's folder is there (a tool that finds
// none has nothing to read, and makes none by reading: see View.Exists).
func (s *Store) dirExists() bool {
	return disk.IsDir(s.dir)
}

func (s *Store) nowString() string { return session.FormatTime(s.now()) }

// warnf writes one warning line.
func (s *Store) warnf(format string, args ...any) {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	fmt.Fprintf(s.warnings, "sess: warning: "+format+"\n", args...)
}

// Paths of the store's files.
func (s *Store) sessionsDir() string { return filepath.Join(s.dir, "sessions") }
func (s *Store) archiveDir() string  { return filepath.Join(s.dir, "sessions", "archive") }
func (s *Store) projectsDir() string { return filepath.Join(s.dir, "projects") }
func (s *Store) configPath() string  { return filepath.Join(s.dir, "config.json") }
func (s *Store) indexPath() string   { return filepath.Join(s.dir, "sessions", "_index.json") }
func (s *Store) sessionPath(id string) string {
	return filepath.Join(s.dir, "sessions", id+".json")
}
func (s *Store) archivedPath(id string) string {
	return filepath.Join(s.dir, "sessions", "archive", id+".json")
}
func (s *Store) projectPath(slug string) string {
	return filepath.Join(s.dir, "projects", slug+".json")
}

// ensureDirs creates the store's folders (0700) before a write.
func (s *Store) ensureDirs() error {
	for _, d := range []string{s.sessionsDir(), s.archiveDir(), s.projectsDir()} {
		if err := disk.MkdirAll(d, dirPerm); err != nil {
			return fmt.Errorf("create store folder: %w", err)
		}
	}
	return nil
}

// randHex returns n random bytes as lowercase hex.
func (s *Store) randHex(n int) (string, error) {
	b := make([]byte, n)
	s.randMu.Lock()
	_, err := io.ReadFull(s.rand, b)
	s.randMu.Unlock()
	if err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// newSessionID draws a session id for the current minute.
func (s *Store) newSessionID() (string, error) {
	suffix, err := s.randHex(2)
	if err != nil {
		return "", err
	}
	return "sess_" + s.now().UTC().Format("20060102T1504") + "_" + suffix, nil
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
