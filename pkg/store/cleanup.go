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
// heartbeated since the scan is kept. It returns
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
	projects := make(map[string]bool)
	for start := 0; start < len(stale); start += batchSize {
		chunk := stale[start:min(start+batchSize, len(stale))]
		ids, err := s.batch(chunk, func(sess *Session, now string) (bool, error) {
			if !isStale(sess, s.now(), thresholdHours) {
				return false, nil
			}
			sess.Status = StatusCompleted
			sess.EndedAt = &now
			sess.LastHeartbeat = now
			outcome := StaleOutcome
			sess.Outcome = &outcome
			projects[sess.ProjectSlug] = true
			return true, nil
		})
		closed = append(closed, ids...)
		if err != nil {
			return closed, err
		}
	}
	s.refreshProjects(projects)
	return closed, nil
}

// batchSize bounds how many session locks a batch holds at once.
const batchSize = 128

// batch changes several sessions with one index update: it locks each,
// re-reads it, lets fn change it (fn reports whether it did), writes the
// changed files, updates their index entries in one go and only then lets
// go of the locks, so that no other writer's index entry is overwritten.
// It returns the ids it changed. A session that cannot be read or written
// is warned about and skipped.
func (s *Store) batch(cands []*Session, fn func(sess *Session, now string) (bool, error)) ([]string, error) {
	s.mend()
	var held []*lock
	var ids []string
	changes := make(map[string]*IndexEntry)
	release := func(keepMarkers bool) {
		for _, l := range held {
			if keepMarkers {
				l.release()
			} else {
				l.unlock()
			}
		}
	}
	for _, cand := range cands {
		id := cand.SessionID
		if s.beforeLock != nil {
			s.beforeLock(id)
		}
		l, err := s.lockFor(kindSession, id)
		if err != nil {
			release(true)
			return nil, err
		}
		sess, err := s.readSessionFile(s.sessionPath(id))
		if err != nil {
			l.unlock()
			if !isNotExist(err) {
				s.warnf("skipping session %s: %v", id, err)
			}
			continue
		}
		changed, err := fn(sess, s.nowString())
		if err != nil || !changed {
			l.unlock()
			if err != nil {
				s.warnf("skipping session %s: %v", id, err)
			}
			continue
		}
		data, err := encodeSessionFile(sess)
		if err == nil {
			err = writeAtomic(s.sessionPath(id), data)
		}
		if err != nil {
			l.release()
			s.warnf("could not write session %s: %v", id, err)
			continue
		}
		held = append(held, l)
		ids = append(ids, id)
		e := sess.indexEntry()
		changes[id] = &e
	}
	if len(changes) > 0 {
		if err := s.setIndexEntries(changes); err != nil {
			release(true)
			return nil, fmt.Errorf("update index: %w", err)
		}
	}
	release(false)
	return ids, nil
}

// CleanupLocks removes session .lock files that have no session file, and
// returns their names. A lock is removed only while held, and only if its
// session file is still absent, so that no writer loses it mid-change.
func (s *Store) CleanupLocks(dryRun bool) ([]string, error) {
	names, err := readDirNames(s.sessionsDir())
	if err != nil {
		if isNotExist(err) {
			return []string{}, nil
		}
		return nil, fmt.Errorf("read sessions folder: %w", err)
	}
	sessions := make(map[string]bool, len(names)/2)
	var orphans []string
	for _, n := range names {
		if id, ok := strings.CutSuffix(n, ".json"); ok {
			sessions[id] = true
		}
	}
	for _, n := range names {
		if id, ok := strings.CutSuffix(n, ".lock"); ok && !sessions[id] && ValidateSessionID(id) == nil {
			orphans = append(orphans, id)
		}
	}
	sort.Strings(orphans)
	removed := []string{}
	for _, id := range orphans {
		n := id + ".lock"
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
	sess, err := s.Session(id)
	if err != nil {
		return err
	}
	if sess.Status != StatusCompleted {
		return conflict("session %s is %s; only completed sessions are archived", id, sess.Status)
	}
	moved, err := s.archiveBatch([]string{id}, func(*Session) bool { return true }, sess.ProjectSlug)
	if err != nil {
		return err
	}
	if len(moved) == 0 {
		return conflict("session %s could not be archived; see the warnings", id)
	}
	return nil
}

// ArchiveOld archives the completed sessions that ended more than days ago
// (the config's archive_after_days when 0) and returns their ids. With dryRun
// it only lists them. It moves them in batches, with one index update and
// two folder syncs per batch.
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
	if err := s.ensureDirs(); err != nil {
		return nil, err
	}
	projects := make(map[string]bool)
	for start := 0; start < len(ids); start += batchSize {
		moved, err := s.archiveBatch(ids[start:min(start+batchSize, len(ids))], func(sess *Session) bool { return old(sess.EndedAt) }, "")
		for _, sess := range moved {
			archived = append(archived, sess.SessionID)
			projects[sess.ProjectSlug] = true
		}
		if err != nil {
			s.refreshProjects(projects)
			return archived, err
		}
	}
	s.refreshProjects(projects)
	return archived, nil
}

// archiveBatch moves the given sessions, if completed and keep says so, to
// the archive: under their locks, each is linked into archive/ (made
// durable for the whole batch before any removal), then removed from
// sessions/, then dropped from the index in one update. Given the project
// of all of them, it refreshes the project's state from that update, under
// the project's lock taken before it, as a change of status does.
func (s *Store) archiveBatch(ids []string, keep func(*Session) bool, project string) ([]*Session, error) {
	var held []*lock
	var moved []*Session
	defer func() {
		for _, l := range held {
			l.unlock()
		}
	}()
	for _, id := range ids {
		l, err := s.lockFor(kindSession, id)
		if err != nil {
			return moved, err
		}
		sess, err := s.readSessionFile(s.sessionPath(id))
		if err != nil || sess.Status != StatusCompleted || !keep(sess) || exists(s.archivedPath(id)) {
			if err != nil && !isNotExist(err) {
				s.warnf("not archiving session %s: %v", id, err)
			}
			if err == nil && exists(s.archivedPath(id)) {
				s.warnf("not archiving session %s: the archive already holds a file of that name", id)
			}
			l.unlock()
			continue
		}
		if err := os.Link(s.sessionPath(id), s.archivedPath(id)); err != nil {
			l.unlock()
			s.warnf("could not archive session %s: %v", id, err)
			continue
		}
		held = append(held, l)
		moved = append(moved, sess)
	}
	if len(moved) == 0 {
		return nil, nil
	}
	keepMarkers := func() {
		for _, l := range held {
			l.release()
		}
		held = nil
	}
	if err := syncDir(s.archiveDir()); err != nil {
		keepMarkers()
		return nil, err
	}
	changes := make(map[string]*IndexEntry, len(moved))
	for _, sess := range moved {
		if err := os.Remove(s.sessionPath(sess.SessionID)); err != nil {
			keepMarkers()
			return nil, fmt.Errorf("archive session %s: %w", sess.SessionID, err)
		}
		changes[sess.SessionID] = nil
	}
	if err := syncDir(s.sessionsDir()); err != nil {
		keepMarkers()
		return nil, err
	}
	if project == "" {
		if err := s.setIndexEntries(changes); err != nil {
			keepMarkers()
			return nil, err
		}
	} else {
		pl, err := s.lockFor(kindProject, project)
		if err != nil {
			keepMarkers()
			return nil, err
		}
		if err := s.updateIndex(changes, project); err != nil {
			pl.release()
			keepMarkers()
			return nil, err
		}
		pl.unlock()
	}
	for _, sess := range moved {
		os.Remove(s.lockPath(kindSession, sess.SessionID))
	}
	return moved, nil
}
