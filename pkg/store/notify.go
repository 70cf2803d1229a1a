package store

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

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

// UpdateNotifyState runs fn on the notification state under its lock and,
// unless dryRun, writes what fn left. A missing or corrupt file is an empty
// state (with a warning): at worst a notification is sent once more.
func (s *Store) UpdateNotifyState(dryRun bool, fn func(state map[string]NotifyEntry) error) error {
	if dryRun {
		state := s.readNotifyState()
		return fn(state)
	}
	s.mend()
	if err := s.ensureDirs(); err != nil {
		return err
	}
	return s.withLocks(func(h *held) error {
		if err := h.take(kindNotify, ""); err != nil {
			return err
		}
		state := s.readNotifyState()
		if err := fn(state); err != nil {
			return err
		}
		data, err := marshal(state)
		if err != nil {
			return err
		}
		return writeAtomic(s.notifyStatePath(), data)
	})
}

func (s *Store) readNotifyState() map[string]NotifyEntry {
	state := map[string]NotifyEntry{}
	data, err := readFile(s.notifyStatePath())
	if err != nil {
		if !isNotExist(err) {
			s.warnf("ignoring notify_state.json: %v", err)
		}
		return state
	}
	if err := json.Unmarshal(data, &state); err != nil || state == nil {
		s.warnf("ignoring corrupt notify_state.json")
		return map[string]NotifyEntry{}
	}
	return state
}

// LongParked returns the parked sessions parked (ended_at) more than hours
// ago (the config's parked_notify_hours when 0), oldest first.
func (s *Store) LongParked(hours int) ([]*session.Session, error) {
	if hours <= 0 {
		hours = s.Config().Settings.ParkedNotifyHours
	}
	parked, err := s.List(Filter{Status: session.StatusParked})
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []*session.Session
	for _, sess := range parked {
		if sess.EndedAt == nil {
			continue
		}
		t, err := session.ParseTime(*sess.EndedAt)
		if err == nil && now.Sub(t) > time.Duration(hours)*time.Hour {
			out = append(out, sess)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return session.SortKey(*out[i].EndedAt) < session.SortKey(*out[j].EndedAt) })
	return out, nil
}

// LongWaiting returns the active sessions that have waited for the user
// longer than minutes (by their live state, silent past staleHours), the
// longest waiting first.
func (s *Store) LongWaiting(minutes, staleHours int) ([]*session.Session, error) {
	active, err := s.List(Filter{Status: session.StatusActive})
	if err != nil {
		return nil, err
	}
	now, stale := s.now(), staleHours
	var out []*session.Session
	since := map[*session.Session]string{}
	for _, sess := range active {
		live := session.LiveState(sess, now, stale)
		t, err := session.ParseTime(live.Since)
		if live.State == session.StateWaiting && err == nil && now.Sub(t) > time.Duration(minutes)*time.Minute {
			out = append(out, sess)
			since[sess] = session.SortKey(live.Since)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return since[out[i]] < since[out[j]] })
	return out, nil
}
