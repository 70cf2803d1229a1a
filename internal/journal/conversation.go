package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/pkg/session"
)

// ConversationsDir is the folder of the store that holds, per Claude Code
// conversation: a pointer to its session (kept fresh while the
// conversation runs: a resume and a /clear carry a session on by it), the
// Stop hook's throttle mark (which only saves time). The cleanup prunes
// what has not changed for a week.
const ConversationsDir = ".throttle/conversations"

// WindowsDir is the folder of the store that holds, per Claude Code window
// (see Launch.Window), the id of the conversation it ran last: the
// evidence /clear carries a session on by.
const WindowsDir = ".throttle/windows"

// RanIn records that window runs conversation claudeSessionID, unless its
// file says so already and was written within a day (a stat and a read,
// the cost of every hook; a window that runs for weeks keeps its file
// younger than the week after which the cleanup prunes it). Best effort: a
// window without its file starts new threads after /clear.
func (s *Store) RanIn(window, claudeSessionID string) {
	s.keepPointer(claudeSessionID)
	if !SafeName(window) || !SafeName(claudeSessionID) {
		return
	}
	p := filepath.Join(s.dir, WindowsDir, window)
	if fi, err := os.Stat(p); err == nil && s.Now().Sub(fi.ModTime()) < windowRefresh {
		if data, err := os.ReadFile(p); err == nil && string(data) == claudeSessionID {
			return
		}
	}
	atomicfile.WriteFile(p, []byte(claudeSessionID))
}

// windowRefresh is how often a window's file is written again though it
// says the same, and a conversation's pointer touched.
const windowRefresh = 24 * time.Hour

// keepPointer touches the conversation's pointer once a day while the
// conversation runs, so that the cleanup, which prunes what has not
// changed for a week, never takes the pointer of one that still does: the
// pointer is the evidence a resume or a /clear carries its session on by.
func (s *Store) keepPointer(claudeSessionID string) {
	p := s.pointerPath(claudeSessionID)
	if p == "" {
		return
	}
	if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && s.Now().Sub(fi.ModTime()) >= windowRefresh {
		now := time.Now()
		os.Chtimes(p, now, now)
	}
}

// lastIn is the conversation window ran last; "" when none is known.
func (s *Store) lastIn(window string) string {
	if !SafeName(window) {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(s.dir, WindowsDir, window))
	if err != nil || !SafeName(string(data)) {
		return ""
	}
	return string(data)
}

// pointerPath is where the conversation's pointer to its session lives; ""
// for an id that is not a safe file name.
func (s *Store) pointerPath(claudeSessionID string) string {
	if !SafeName(claudeSessionID) {
		return ""
	}
	return filepath.Join(s.dir, ConversationsDir, claudeSessionID+".session")
}

// SafeName reports whether a Claude Code session id can name a file: 1 to
// 128 letters, digits, - and _.
func SafeName(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// pointTo records which session the conversation's events go to, so that
// the next event reads one file instead of every active session. Best
// effort: without it, the search finds the session.
func (s *Store) pointTo(claudeSessionID, id string) {
	if p := s.pointerPath(claudeSessionID); p != "" {
		atomicfile.WriteFile(p, []byte(id))
	}
}

// The Stop hook's mark, per conversation: what its last recorded Stop said
// (a digest), and by its mtime when. A Stop that says the same soon after
// writes nothing; the throttled path costs a stat and a read.

// stopMarkPath is the conversation's mark; "" for an id that is not a safe
// file name (no throttling then: every Stop is recorded).
func (s *Store) stopMarkPath(claudeSessionID string) string {
	if !SafeName(claudeSessionID) {
		return ""
	}
	return filepath.Join(s.dir, ConversationsDir, claudeSessionID)
}

// StopMarked reports whether the conversation's mark says sum and was
// written less than within ago. A mark from the future (the clock went
// back) is not fresh, so that the heartbeat is not starved.
func (s *Store) StopMarked(claudeSessionID, sum string, within time.Duration) bool {
	p := s.stopMarkPath(claudeSessionID)
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if age := s.Now().Sub(fi.ModTime()); age < 0 || age >= within {
		return false
	}
	data, err := os.ReadFile(p)
	return err == nil && string(data) == sum
}

// MarkStop records what the conversation's Stop said, now.
func (s *Store) MarkStop(claudeSessionID, sum string) error {
	if p := s.stopMarkPath(claudeSessionID); p != "" {
		return atomicfile.WriteFile(p, []byte(sum))
	}
	return nil
}

// UnmarkStop makes the conversation's next Stop due.
func (s *Store) UnmarkStop(claudeSessionID string) {
	if p := s.stopMarkPath(claudeSessionID); p != "" {
		syscall.Unlink(p) // one call: os.Remove would try rmdir too
	}
}

// pendingPointer is what a claimed pointer says until its session exists:
// no session id, so that it leads nowhere.
const pendingPointer = "(launching)"

// claim writes the conversation's pointer before a launch creates its
// session, under the launch lock: a second delivery of the same
// SessionStart then finds the session through it, and a conversation that
// has just begun and has no pointer has no session yet (see
// launchedBefore; a running conversation's pointer is kept, see
// keepPointer). When it cannot be written, no session is made.
func (s *Store) claim(claudeSessionID string) error {
	p := s.pointerPath(claudeSessionID)
	if p == "" {
		return nil
	}
	if _, err := os.Lstat(p); err == nil {
		return nil // claimed or pointed already: the search decides
	}
	if err := atomicfile.WriteFile(p, []byte(pendingPointer)); err != nil {
		return fmt.Errorf("claim conversation %s: %w", claudeSessionID, err)
	}
	return nil
}

// Pointed is the session the conversation's pointer names, if it is still
// the conversation's and active; nil otherwise. It reads two small files:
// a hook looks here first, and works out its project only when this fails.
func (s *Store) Pointed(claudeSessionID string) *session.Session {
	sess := s.lastOf(claudeSessionID)
	if sess == nil || !isOf(sess, claudeSessionID) {
		return nil
	}
	return sess
}

// readPointer reads the session id a pointer names.
func readPointer(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	if err := session.ValidateSessionID(string(data)); err != nil {
		return "", err
	}
	return string(data), nil
}

// ConversationFilesAge is how long a conversation's files are kept after
// their last change: a week without a hook from it.
const ConversationFilesAge = 7 * 24 * time.Hour

// PruneConversations removes the conversation and window files (see
// ConversationsDir, WindowsDir) that have not changed for maxAge, and
// returns how many it removed (or, on a dry run, would remove). A folder it
// cannot read is a warning.
func (s *Store) PruneConversations(maxAge time.Duration, dryRun bool) int {
	return s.prune(ConversationsDir, maxAge, dryRun) + s.prune(WindowsDir, maxAge, dryRun)
}

func (s *Store) prune(folder string, maxAge time.Duration, dryRun bool) int {
	dir := filepath.Join(s.dir, folder)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !isNotExist(err) {
			s.warnf("read %s: %v", dir, err)
		}
		return 0
	}
	cutoff := s.Now().Add(-maxAge)
	n := 0
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || !fi.ModTime().Before(cutoff) {
			continue
		}
		if !SafeName(strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".tmp"), ".session")) && !strings.HasSuffix(e.Name(), ".tmp") {
			continue // not one of ours
		}
		if dryRun || os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}
