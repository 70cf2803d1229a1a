package derived

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// What the hooks keep per Claude Code conversation and window: small files
// that save a hook a search, or carry a conversation's thread on. Best
// effort all of them: without one, a hook searches, or a /clear starts a
// new thread.

// ConversationsDir is the folder of the store that holds, per Claude Code
// conversation: a pointer to its session (kept fresh while the
// conversation runs: a resume and a /clear carry a session on by it), the
// Stop hook's throttle mark (which only saves time). The cleanup prunes
// what has not changed for a week.
const ConversationsDir = ".throttle/conversations"

// WindowsDir is the folder of the store that holds, per Claude Code window
// (see journal.Launch's Window), the id of the conversation it ran last:
// the evidence /clear carries a session on by.
const WindowsDir = ".throttle/windows"

// throttleDir holds sess-heartbeat's mark per project.
const throttleDir = ".throttle"

// launchLock is the lock every launch of the store takes, so that two
// hooks of one start cannot both create a session (pkg/store's folder of
// sessions, the original's place for it).
const launchLock = "sessions/_launch.lock"

// RanIn records that window runs conversation claudeSessionID, unless its
// file says so already and was written within a day (a stat and a read,
// the cost of every hook; a window that runs for weeks keeps its file
// younger than the week after which the cleanup prunes it). Best effort: a
// window without its file starts new threads after /clear.
func (f *Files) RanIn(window, claudeSessionID string) {
	f.keepPointer(claudeSessionID)
	if !SafeName(window) || !SafeName(claudeSessionID) {
		return
	}
	p := f.path(WindowsDir, window)
	if fi, err := os.Stat(p); err == nil && f.now().Sub(fi.ModTime()) < windowRefresh {
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
func (f *Files) keepPointer(claudeSessionID string) {
	p := f.pointerPath(claudeSessionID)
	if p == "" {
		return
	}
	if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && f.now().Sub(fi.ModTime()) >= windowRefresh {
		now := time.Now()
		os.Chtimes(p, now, now)
	}
}

// LastIn is the conversation window ran last; "" when none is known.
func (f *Files) LastIn(window string) string {
	if !SafeName(window) {
		return ""
	}
	data, err := os.ReadFile(f.path(WindowsDir, window))
	if err != nil || !SafeName(string(data)) {
		return ""
	}
	return string(data)
}

// pointerPath is where the conversation's pointer to its session lives; ""
// for an id that is not a safe file name.
func (f *Files) pointerPath(claudeSessionID string) string {
	if !SafeName(claudeSessionID) {
		return ""
	}
	return f.path(ConversationsDir, claudeSessionID+".session")
}

// SafeName reports whether a Claude Code session id (or a window's) can
// name a file: 1 to 128 letters, digits, - and _.
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

// PointTo records which session the conversation's events go to, so that
// the next event reads one file instead of every active session. Best
// effort: without it, the search finds the session.
func (f *Files) PointTo(claudeSessionID, id string) {
	if p := f.pointerPath(claudeSessionID); p != "" {
		atomicfile.WriteFile(p, []byte(id))
	}
}

// pendingPointer is what a claimed pointer says until its session exists:
// no session id, so that it leads nowhere.
const pendingPointer = "(launching)"

// Claim writes the conversation's pointer before a launch creates its
// session, under the launch lock: a second delivery of the same
// SessionStart then finds the session through it, and a conversation that
// has just begun and has no pointer has no session yet (a running
// conversation's pointer is kept, see RanIn). When it cannot be written,
// no session may be made.
func (f *Files) Claim(claudeSessionID string) error {
	p := f.pointerPath(claudeSessionID)
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

// HasPointer reports whether the conversation's pointer is there (claimed
// or pointing), for an id that can have one.
func (f *Files) HasPointer(claudeSessionID string) bool {
	p := f.pointerPath(claudeSessionID)
	if p == "" {
		return false
	}
	_, err := os.Lstat(p)
	return !os.IsNotExist(err)
}

// Pointed is the session id the conversation's pointer names; "" when
// there is none, or it names no valid id (a claim, garbage). The session
// itself is the store's to read.
func (f *Files) Pointed(claudeSessionID string) string {
	p := f.pointerPath(claudeSessionID)
	if p == "" {
		return ""
	}
	data, err := os.ReadFile(p)
	if err != nil || session.ValidateSessionID(string(data)) != nil {
		return ""
	}
	return string(data)
}

// The Stop hook's mark, per conversation: what its last recorded Stop said
// (a digest), and by its mtime when. A Stop that says the same soon after
// writes nothing; the throttled path costs a stat and a read.

// stopMarkPath is the conversation's mark; "" for an id that is not a safe
// file name (no throttling then: every Stop is recorded).
func (f *Files) stopMarkPath(claudeSessionID string) string {
	if !SafeName(claudeSessionID) {
		return ""
	}
	return f.path(ConversationsDir, claudeSessionID)
}

// StopMarked reports whether the conversation's mark says sum and was
// written less than within ago. A mark from the future (the clock went
// back) is not fresh, so that the heartbeat is not starved.
func (f *Files) StopMarked(claudeSessionID, sum string, within time.Duration) bool {
	p := f.stopMarkPath(claudeSessionID)
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if age := f.now().Sub(fi.ModTime()); age < 0 || age >= within {
		return false
	}
	data, err := os.ReadFile(p)
	return err == nil && string(data) == sum
}

// MarkStop records what the conversation's Stop said, now.
func (f *Files) MarkStop(claudeSessionID, sum string) error {
	if p := f.stopMarkPath(claudeSessionID); p != "" {
		return atomicfile.WriteFile(p, []byte(sum))
	}
	return nil
}

// UnmarkStop makes the conversation's next Stop due.
func (f *Files) UnmarkStop(claudeSessionID string) {
	if p := f.stopMarkPath(claudeSessionID); p != "" {
		syscall.Unlink(p) // one call: os.Remove would try rmdir too
	}
}

// LockLaunches takes the store's launch lock (made with the folder it is
// in when missing) and returns how to let it go: launches are serialized,
// so that two hooks of one start cannot both create a session.
func (f *Files) LockLaunches() (release func(), err error) {
	if err := os.MkdirAll(f.path("sessions"), 0o700); err != nil {
		return nil, fmt.Errorf("lock launches: %w", err)
	}
	l, err := disk.Acquire(f.path(launchLock))
	if err != nil {
		return nil, fmt.Errorf("lock launches: %w", err)
	}
	return l.Release, nil
}

// ConversationFilesAge is how long a conversation's files are kept after
// their last change: a week without a hook from it.
const ConversationFilesAge = 7 * 24 * time.Hour

// PruneConversations removes the conversation and window files (see
// ConversationsDir, WindowsDir) that have not changed for maxAge, and
// returns how many it removed (or, on a dry run, would remove). A folder it
// cannot read is a warning.
func (f *Files) PruneConversations(maxAge time.Duration, dryRun bool) int {
	return f.prune(ConversationsDir, maxAge, dryRun) + f.prune(WindowsDir, maxAge, dryRun)
}

func (f *Files) prune(folder string, maxAge time.Duration, dryRun bool) int {
	dir := f.path(folder)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !os.IsNotExist(err) {
			f.warnf("read %s: %v", dir, err)
		}
		return 0
	}
	cutoff := f.now().Add(-maxAge)
	n := 0
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || !fi.ModTime().Before(cutoff) {
			continue
		}
		if !SafeName(strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".tmp"), ".session")) && !strings.HasSuffix(e.Name(), ".tmp") {
			continue // not one of ours
		}
		if dryRun || os.Remove(f.path(folder, e.Name())) == nil {
			n++
		}
	}
	return n
}

// HeartbeatThrottled reports whether sess-heartbeat refreshed the
// project less than interval ago, by the mtime of its mark: one stat. A
// mtime in the future means the clock went back since the last refresh;
// counting that as throttled would starve the heartbeat until the clock
// caught up, and cleanup would close a live session. So it counts as due,
// and MarkHeartbeat sets the mtime to now, which throttles the next run
// normally.
func (f *Files) HeartbeatThrottled(slug string, interval time.Duration) bool {
	if session.ValidateSlug(slug) != nil {
		return false
	}
	fi, err := os.Stat(f.path(throttleDir, slug))
	if err != nil {
		return false
	}
	age := f.now().Sub(fi.ModTime())
	return age >= 0 && age < interval
}

// MarkHeartbeat marks the project as refreshed now.
func (f *Files) MarkHeartbeat(slug string) error {
	if err := session.ValidateSlug(slug); err != nil {
		return err
	}
	p := f.path(throttleDir, slug)
	now := f.now()
	if err := os.MkdirAll(f.path(throttleDir), 0o700); err != nil {
		return err
	}
	if err := os.Chtimes(p, now, now); err == nil {
		return nil
	}
	fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	fh.Close()
	return os.Chtimes(p, now, now)
}
