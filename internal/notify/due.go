package notify

import (
	"sort"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// longParked returns the parked sessions parked (ended_at) more than hours
// ago (the config's parked_notify_hours when 0), oldest first.
func longParked(v *store.View, hours int) ([]*session.Session, error) {
	if hours <= 0 {
		hours = v.Config().Settings.ParkedNotifyHours
	}
	parked, err := v.List(store.Filter{Status: session.StatusParked})
	if err != nil {
		return nil, err
	}
	now := v.Now()
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

// longWaiting returns the active sessions that have waited for the user
// longer than minutes (by their live state, silent past staleHours), the
// longest waiting first.
func longWaiting(v *store.View, minutes, staleHours int) ([]*session.Session, error) {
	active, err := v.List(store.Filter{Status: session.StatusActive})
	if err != nil {
		return nil, err
	}
	now := v.Now()
	var out []*session.Session
	since := map[*session.Session]string{}
	for _, sess := range active {
		live := session.LiveState(sess, now, staleHours)
		t, err := session.ParseTime(live.Since)
		if live.State == session.StateWaiting && err == nil && now.Sub(t) > time.Duration(minutes)*time.Minute {
			out = append(out, sess)
			since[sess] = session.SortKey(live.Since)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return since[out[i]] < since[out[j]] })
	return out, nil
}
