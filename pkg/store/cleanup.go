package store

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// StaleOutcome is the outcome of a session closed for want of a heartbeat.
const StaleOutcome = "Auto-closed (stale — no heartbeat)"

// CleanupStale completes every stale session (thresholdHours, or the
// config's when 0), re-checking each under its lock so that a session
// heartbeated since the scan is kept, then removes orphaned locks. It returns
// the ids it closed. With dryRun it changes nothing and returns what it would
// close.
func (s *Store) CleanupStale(thresholdHours int, dryRun bool) ([]string, error) {
	if thresholdHours <= 0 {
		thresholdHours = s.Config().Settings.StaleThresholdHours
	}
	stale, err := s.Stale(thresholdHours)
	if err != nil {
		return nil, err
	}
	closed := []string{}
	if dryRun {
		for _, sess := range stale {
			closed = append(closed, sess.SessionID)
		}
		return closed, nil
	}
	for _, cand := range stale {
		_, err := s.update(cand.SessionID, true, func(sess *Session, now string) error {
			if !isStale(sess, s.now(), thresholdHours) {
				return errUnchanged
			}
			sess.Status = StatusCompleted
			sess.EndedAt = &now
			sess.LastHeartbeat = now
			outcome := StaleOutcome
			sess.Outcome = &outcome
			closed = append(closed, sess.SessionID)
			return nil
		})
		if err != nil {
			s.warnf("could not close stale session %s: %v", cand.SessionID, err)
		}
	}
	if _, err := s.CleanupLocks(false); err != nil {
		s.warnf("could not remove orphaned locks: %v", err)
	}
	return closed, nil
}

// CleanupLocks removes session .lock files that have no session file, and
// returns their names. A lock is removed only while held, and only if its
// session file is still absent, so that no writer loses it mid-change.
func (s *Store) CleanupLocks(dryRun bool) ([]string, error) {
	d, err := os.Open(s.sessionsDir())
	if err != nil {
		if isNotExist(err) {
			return []string{}, nil
		}
		return nil, fmt.Errorf("read sessions folder: %w", err)
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, fmt.Errorf("read sessions folder: %w", err)
	}
	sort.Strings(names)
	have := make(map[string]bool, len(names))
	for _, n := range names {
		have[n] = true
	}
	removed := []string{}
	for _, n := range names {
		id, ok := strings.CutSuffix(n, ".lock")
		if !ok || ValidateSessionID(id) != nil || have[id+".json"] {
			continue
		}
		if dryRun {
			removed = append(removed, n)
			continue
		}
		fl := newFlock(s.lockPath(kindSession, id))
		got, err := fl.TryLock()
		if err != nil || !got {
			continue // in use: a session being created
		}
		if !exists(s.sessionPath(id)) && !exists(s.markerPath(kindSession, id)) {
			if err := os.Remove(s.lockPath(kindSession, id)); err == nil {
				removed = append(removed, n)
			} else if !isNotExist(err) {
				s.warnf("could not remove orphaned lock %s: %v", n, err)
			}
		}
		fl.Unlock()
	}
	return removed, nil
}

// ArchiveSession moves a completed session into sessions/archive/ and out of
// the index.
func (s *Store) ArchiveSession(id string) error {
	if err := ValidateSessionID(id); err != nil {
		return err
	}
	s.mend()
	if err := s.checkWritable(id); err != nil {
		if ErrorCode(err) == CodeConflict {
			return conflict("session %s is already archived", id)
		}
		return err
	}
	if err := s.ensureDirs(); err != nil {
		return err
	}
	slug, err := s.archiveOne(id, func(*Session) bool { return true })
	if err != nil {
		return err
	}
	if slug == "" {
		return notFound("session %s not found", id)
	}
	return s.refreshProjectState(slug)
}

// archiveOne archives session id under its lock if it is completed and keep
// says so; it returns the session's project slug, or "" if it was not moved.
func (s *Store) archiveOne(id string, keep func(*Session) bool) (string, error) {
	l, err := s.lockFor(kindSession, id)
	if err != nil {
		return "", err
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	if err != nil {
		l.unlock()
		if isNotExist(err) {
			return "", nil
		}
		return "", fmt.Errorf("read session %s: %w", id, err)
	}
	if sess.Status != StatusCompleted {
		l.unlock()
		return "", conflict("session %s is %s; only completed sessions are archived", id, sess.Status)
	}
	if !keep(sess) {
		l.unlock()
		return "", nil
	}
	if exists(s.archivedPath(id)) {
		l.unlock()
		return "", conflict("session %s is already in the archive", id)
	}
	// Link, then remove: the session exists in one place or both, never none.
	if err := os.Link(s.sessionPath(id), s.archivedPath(id)); err != nil {
		l.unlock()
		return "", fmt.Errorf("archive session %s: %w", id, err)
	}
	if err := syncDir(s.archiveDir()); err != nil {
		l.release()
		return "", err
	}
	if err := os.Remove(s.sessionPath(id)); err != nil {
		l.release()
		return "", fmt.Errorf("archive session %s: %w", id, err)
	}
	if err := syncDir(s.sessionsDir()); err != nil {
		l.release()
		return "", err
	}
	if err := s.setIndexEntries(map[string]*IndexEntry{id: nil}); err != nil {
		l.release()
		return "", err
	}
	os.Remove(s.lockPath(kindSession, id))
	l.unlock()
	return sess.ProjectSlug, nil
}

// ArchiveOld archives the completed sessions that ended more than days ago
// (the config's archive_after_days when 0) and returns their ids. With dryRun
// it only lists them.
func (s *Store) ArchiveOld(days int, dryRun bool) ([]string, error) {
	if days == 0 {
		days = s.Config().Settings.ArchiveAfterDays
	}
	if err := ValidateDays(days); err != nil {
		return nil, err
	}
	s.mend()
	idx, err := s.loadIndex()
	if err != nil {
		return nil, err
	}
	cutoff := s.now().Add(-time.Duration(days) * 24 * time.Hour)
	old := func(endedAt *string) bool {
		if endedAt == nil {
			return false
		}
		t, err := ParseTime(*endedAt)
		return err == nil && t.Before(cutoff)
	}
	var ids []string
	for id, e := range idx {
		if e.Status == StatusCompleted && old(e.EndedAt) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	archived := []string{}
	if dryRun {
		return append(archived, ids...), nil
	}
	projects := make(map[string]bool)
	for _, id := range ids {
		slug, err := s.archiveOne(id, func(sess *Session) bool { return old(sess.EndedAt) })
		if err != nil {
			if ErrorCode(err) != CodeConflict {
				s.warnf("could not archive session %s: %v", id, err)
			}
			continue
		}
		if slug != "" {
			archived = append(archived, id)
			projects[slug] = true
		}
	}
	for slug := range projects {
		if err := s.refreshProjectState(slug); err != nil {
			s.warnf("could not refresh project state of %s: %v", slug, err)
		}
	}
	return archived, nil
}
