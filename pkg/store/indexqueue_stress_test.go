package store

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/index"
)

// writeAsOriginal writes a session as the original does: its file under
// the session's lock, then its entry into the index it reads under the
// index lock (or, with indexOnly, the index rewritten as it reads it).
func writeAsOriginal(t *testing.T, s *Store, id, intent string, indexOnly bool) {
	if !indexOnly {
		sl, err := disk.Acquire(s.lockPath(kindSession, id))
		if err != nil {
			t.Error(err)
			return
		}
		defer sl.Release()
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	if err != nil {
		t.Error(err)
		return
	}
	if !indexOnly {
		sess.Intent = intent
		data, _ := encodeSessionFile(sess)
		replaceFile(t, s.sessionPath(id), data)
	}
	il, err := disk.Acquire(s.indexLockPath())
	if err != nil {
		t.Error(err)
		return
	}
	defer il.Release()
	raw, _ := os.ReadFile(s.indexPath())
	idx, err := index.Decode(raw)
	if err != nil {
		t.Error(err)
		return
	}
	if !indexOnly {
		idx[id] = sess.Entry()
	}
	out, _ := index.Encode(idx)
	replaceFile(t, s.indexPath(), out)
}

func replaceFile(t *testing.T, path string, data []byte) {
	if err := os.WriteFile(path+".orig-tmp", data, 0o600); err != nil {
		t.Error(err)
	}
	if err := os.Rename(path+".orig-tmp", path); err != nil {
		t.Error(err)
	}
}

// TestGroupedBesideOriginal: grouped writers, changes staged whole and the
// original writing sessions and rewriting the index, all at once, leave
// every entry as its file makes it.
func TestGroupedBesideOriginal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	var ids []string
	for i := range 6 {
		ids = append(ids, mustCreate(t, s, "web", fmt.Sprint("s", i)).SessionID)
	}
	var wg sync.WaitGroup
	for g := range 12 {
		wg.Go(func() {
			r := rand.New(rand.NewSource(int64(g)))
			for j := range 30 {
				w := Open(dir, Options{Warnings: &syncBuffer{}})
				id := ids[r.Intn(len(ids))]
				var err error
				switch r.Intn(6) {
				case 0:
					writeAsOriginal(t, w, id, fmt.Sprint("original ", g, j), false)
				case 1:
					writeAsOriginal(t, w, id, "", true)
				case 2: // staged whole: it refreshes the project
					_, err = UpdateOne(w, id, true, func(sess *session.Session, now string) error {
						sess.LastHeartbeat = now
						return nil
					})
				default:
					_, err = w.AddEvent(id, fmt.Sprint(g, j))
				}
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	checkIndexAgrees(t, openTestStore(t, dir).Store)
}

// TestGroupedKilled: writers in processes of their own, killed at random
// points again and again; after each round the next command leaves the
// index as the files make it, and no marker, queue or temp file.
func TestGroupedKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills writers for rounds")
	}
	if dir := os.Getenv("SESS_TEST_GROUPED_WRITER"); dir != "" {
		groupedWriter(dir, strings.Split(os.Getenv("SESS_TEST_IDS"), ","), os.Getenv("SESS_TEST_N"))
		return
	}
	dir := t.TempDir()
	s := openTestStore(t, dir)
	var ids []string
	for i := range 4 {
		ids = append(ids, mustCreate(t, s, "web", fmt.Sprint("s", i)).SessionID)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	for round := range 40 {
		var cmds []*exec.Cmd
		for g := range 6 {
			c := exec.Command(exe, "-test.run=^TestGroupedKilled$")
			c.Env = append(os.Environ(), "SESS_TEST_GROUPED_WRITER="+dir, "SESS_TEST_IDS="+strings.Join(ids, ","), "SESS_TEST_N="+strconv.Itoa(g))
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, c)
		}
		// The kill's moment is the fault injected: a random point of the
		// writers' loops.
		time.Sleep(time.Duration(20+r.Intn(80)) * time.Millisecond)
		for _, c := range cmds {
			c.Process.Signal(syscall.SIGKILL)
		}
		for _, c := range cmds {
			c.Wait()
		}
		later := openTestStore(t, dir)
		if _, err := later.View().Entries(); err != nil {
			t.Fatal(err)
		}
		checkIndexAgrees(t, later.Store)
		for _, folder := range []string{dir, filepath.Join(dir, "sessions")} {
			names, _ := os.ReadDir(folder)
			for _, n := range names {
				if strings.HasPrefix(n.Name(), ".pending.") || strings.HasSuffix(n.Name(), tmpExt) {
					t.Errorf("round %d: %s left", round, n.Name())
				}
			}
		}
		if t.Failed() {
			t.Fatalf("round %d: warnings %q", round, later.warnings.String())
		}
	}
}

// groupedWriter writes to the sessions ids until it is killed: events
// (grouped) and, every seventh, a change staged whole.
func groupedWriter(dir string, ids []string, n string) {
	g, _ := strconv.Atoi(n)
	for j := 0; ; j++ {
		w := Open(dir, Options{Warnings: &syncBuffer{}})
		id := ids[(g+j)%len(ids)]
		if j%7 == 3 {
			UpdateOne(w, id, true, func(sess *session.Session, now string) error { sess.LastHeartbeat = now; return nil })
		} else {
			w.AddEvent(id, fmt.Sprint(g, " ", j))
		}
	}
}
