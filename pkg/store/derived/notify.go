package derived

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// The notifier's memory is notify_state.json, a file the original writes
// too: it is rewritten under notify_state.lock, the original's lock, so
// that the two exclude each other, and, unlike the other derived files,
// replaced whole and synced (internal/disk), as the store writes the
// original's files. While a rewrite runs, a pending marker
// (.pending.notify, named as the store names its markers) says that a
// temp file may be left: the next writer, or the store's mend, removes it.

// NotifyEntry records the last notification sent about a session, in
// notify_state.json, so that a scheduled check does not repeat it before
// the cooldown is over.
type NotifyEntry struct {
	Reason     string `json:"reason"`
	NotifiedAt string `json:"notified_at"`
	// Told names where a wait was delivered ("desktop", "ntfy",
	// "webhook"), so that a run retries only the targets that failed. sess
	// only, written for waits alone: the original reads an entry's reason
	// and time only (its own check-notify drops waits' entries, knowing no
	// waits, so a wait that outlasts a run of it is told of once more).
	// Empty means the desktop alone, as entries written before pushes were.
	Told []string `json:"told,omitempty"`
}

// maxNotifyState is the largest notify_state.json read: the store's cap
// on any file of the original's (store.MaxFileSize).
const maxNotifyState = 10 << 20

func (f *Files) notifyStatePath() string  { return f.path("notify_state.json") }
func (f *Files) notifyLockPath() string   { return f.path("notify_state.lock") }
func (f *Files) notifyMarkerPath() string { return f.path(".pending.notify") }

// UpdateNotifyState runs fn on the notification state under its lock and,
// unless dryRun, writes what fn left. A missing or corrupt file is an empty
// state (with a warning): at worst a notification is sent once more.
func (f *Files) UpdateNotifyState(dryRun bool, fn func(state map[string]NotifyEntry) error) error {
	if dryRun {
		return fn(f.readNotifyState())
	}
	if err := disk.MkdirAll(f.dir, disk.DirPerm); err != nil {
		return fmt.Errorf("create store folder: %w", err)
	}
	return f.withNotifyLock(func() error {
		state := f.readNotifyState()
		if err := fn(state); err != nil {
			return err
		}
		data, err := codec.Marshal(state)
		if err != nil {
			return fmt.Errorf("encode notify_state.json: %w", err)
		}
		return disk.WriteAtomic(f.notifyStatePath(), data)
	})
}

// withNotifyLock runs fn holding the state's lock and its marker: a marker
// found is an earlier writer's that was killed, whose temp file goes
// first. The marker goes when fn returns: the file is then the old one or
// the new one, whole.
func (f *Files) withNotifyLock(fn func() error) error {
	l, err := disk.Acquire(f.notifyLockPath())
	if err != nil {
		return fmt.Errorf("lock notify state: %w", err)
	}
	defer l.Release()
	marker := f.notifyMarkerPath()
	if disk.Exists(marker) {
		if err := disk.Remove(f.notifyStatePath() + disk.TmpExt); err != nil {
			return fmt.Errorf("an earlier write of the notify state was interrupted and could not be repaired: %w", err)
		}
	} else if err := disk.Mark(marker, disk.FilePerm); err != nil {
		return fmt.Errorf("mark pending notify state: %w", err)
	}
	defer disk.Remove(marker)
	return fn()
}

// MendNotifyState removes what a killed writer of the state left (its temp
// file, its marker) if no writer holds the lock now: the store's mend
// calls it for the marker .pending.notify.
func (f *Files) MendNotifyState() error {
	l, ok, err := disk.TryAcquire(f.notifyLockPath())
	if err != nil || !ok {
		return err // !ok: a live writer holds it
	}
	defer l.Release()
	marker := f.notifyMarkerPath()
	if !disk.Exists(marker) {
		return nil // its writer finished while we looked
	}
	if err := disk.Remove(f.notifyStatePath() + disk.TmpExt); err != nil {
		return err
	}
	return disk.Remove(marker)
}

func (f *Files) readNotifyState() map[string]NotifyEntry {
	state := map[string]NotifyEntry{}
	data, err := disk.ReadFile(f.notifyStatePath(), maxNotifyState)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			f.warnf("ignoring notify_state.json: %v", err)
		}
		return state
	}
	if err := json.Unmarshal(data, &state); err != nil || state == nil {
		f.warnf("ignoring corrupt notify_state.json")
		return map[string]NotifyEntry{}
	}
	return state
}
