package store

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// Filter chooses sessions for a listing. Zero fields do not filter.
type Filter struct {
	Project         string
	Status          session.Status
	Since           string // YYYY-MM-DD: started on or after that day (UTC)
	Limit           int    // 0: no limit
	IncludeArchived bool
}

// sortItem orders sessions newest started first. key is the start time in
// the store's one format, whose text order is time order; a start time that
// does not parse has an empty key and sorts last. Ties fall back to the id,
// which also begins with the start minute.
type sortItem struct {
	id, key string
}

func newer(a, b sortItem) int {
	if c := strings.Compare(b.key, a.key); c != 0 {
		return c
	}
	return strings.Compare(b.id, a.id)
}

// selectIDs picks the ids of idx that pass f, newest started first, cut to
// f.Limit.
func selectIDs(idx map[string]session.IndexEntry, f Filter) []string {
	items := make([]sortItem, 0, len(idx))
	for id, e := range idx {
		if f.matches(e) {
			items = append(items, sortItem{id: id, key: session.SortKey(e.StartedAt)})
		}
	}
	if f.Limit > 0 && f.Limit < len(items)/4 {
		items = topNewest(items, f.Limit)
	} else {
		slices.SortFunc(items, newer)
		if f.Limit > 0 && len(items) > f.Limit {
			items = items[:f.Limit]
		}
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.id
	}
	return ids
}

// topNewest returns the n newest items in order, without sorting them all.
func topNewest(items []sortItem, n int) []sortItem {
	top := make([]sortItem, 0, n+1)
	for _, it := range items {
		if len(top) == n && newer(it, top[n-1]) >= 0 {
			continue // older than the oldest kept
		}
		i, _ := slices.BinarySearchFunc(top, it, newer)
		top = slices.Insert(top, i, it)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

func (f Filter) matches(e session.IndexEntry) bool {
	if f.Project != "" && e.ProjectSlug != f.Project {
		return false
	}
	if f.Status != "" && e.Status != f.Status {
		return false
	}
	if f.Since != "" && !startedSince(e.StartedAt, f.Since) {
		return false
	}
	return true
}

// startedSince compares the start day (UTC) with a YYYY-MM-DD day.
func startedSince(startedAt, since string) bool {
	if k := session.SortKey(startedAt); k != "" {
		return k[:10] >= since
	}
	return len(startedAt) >= 10 && startedAt[:10] >= since
}

// ValidateSince checks a --since day.
func ValidateSince(since string) error {
	if len(since) != 10 {
		return session.Invalid("since", "want a day as YYYY-MM-DD (got %q)", session.Clip(since))
	}
	if _, err := session.ParseTime(since); err != nil {
		return session.Invalid("since", "want a day as YYYY-MM-DD (got %q)", session.Clip(since))
	}
	return nil
}

// listSessions returns the sessions that pass f, newest started first. It reads the
// index and then only the session files it returns; archived sessions, which
// are not indexed, are read from the archive when f.IncludeArchived is set.
func (s *Store) listSessions(f Filter) ([]*session.Session, error) {
	if f.Project != "" {
		if err := session.ValidateSlug(f.Project); err != nil {
			return nil, err
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, session.Invalid("status", "invalid status %q (active, parked or completed)", session.Clip(string(f.Status)))
	}
	if f.Since != "" {
		if err := ValidateSince(f.Since); err != nil {
			return nil, err
		}
	}
	s.mend()
	var idx map[string]session.IndexEntry
	var err error
	switch {
	case f.Project != "":
		idx, err = s.loadProjectIndex(f.Project)
	case f.Status != "" && !f.IncludeArchived:
		// (With the archive, every live id is needed, to tell an
		// archived copy of a live session.)
		idx, err = s.loadIndexWith("status", string(f.Status))
	default:
		idx, err = s.loadIndex()
	}
	if err != nil {
		return nil, err
	}
	if !f.IncludeArchived {
		return s.readSelected(idx, f), nil
	}
	// Archived sessions join the candidates; without an index of their own
	// they are read whole.
	archived := s.readArchive()
	all := s.readSelected(idx, Filter{Project: f.Project, Status: f.Status, Since: f.Since})
	for _, a := range archived {
		if _, live := idx[a.SessionID]; !live && f.matches(a.Entry()) {
			all = append(all, a)
		}
	}
	sortSessions(all)
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	return all, nil
}

// readSelected reads the sessions of idx that pass f, newest first, up to
// f.Limit. When a file no longer agrees with the index (a session lost or
// changed outside a lock), the index is mended, and the listing goes on with
// what the files say.
func (s *Store) readSelected(idx map[string]session.IndexEntry, f Filter) []*session.Session {
	ids := selectIDs(idx, f)
	got := s.readSessions(ids, s.sessionPath)
	if len(got) < len(ids) || !sameEntries(idx, got) {
		s.mendEntries(idx, ids, got)
	}
	var out []*session.Session
	for _, sess := range got {
		if f.matches(sess.Entry()) {
			out = append(out, sess)
		}
	}
	if f.Limit == 0 || len(out) >= f.Limit || len(ids) < f.Limit {
		return out
	}
	// Some of the newest could not be used: go on with the rest, in order.
	rest := make(map[string]session.IndexEntry, len(idx))
	for id, e := range idx {
		rest[id] = e
	}
	for _, id := range ids {
		delete(rest, id)
	}
	f.Limit -= len(out)
	return append(out, s.readSelected(rest, f)...)
}

func sameEntries(idx map[string]session.IndexEntry, got []*session.Session) bool {
	for _, sess := range got {
		if !entryEqual(idx[sess.SessionID], sess.Entry()) {
			return false
		}
	}
	return true
}

func entryEqual(a, b session.IndexEntry) bool {
	return a.ProjectSlug == b.ProjectSlug && a.Status == b.Status && a.Intent == b.Intent &&
		a.StartedAt == b.StartedAt && a.LastHeartbeat == b.LastHeartbeat && session.Deref(a.EndedAt) == session.Deref(b.EndedAt) &&
		(a.EndedAt == nil) == (b.EndedAt == nil)
}

// mendEntries brings index entries of batch in line with the files: an
// entry whose file is gone is dropped, a changed one rewritten. Unreadable
// (corrupt) files keep their entry; they were warned about.
func (s *Store) mendEntries(idx map[string]session.IndexEntry, batch []string, got []*session.Session) {
	if s.readOnly {
		return
	}
	read := make(map[string]bool, len(got))
	changes := make(map[string]*session.IndexEntry)
	for _, sess := range got {
		read[sess.SessionID] = true
		if e := sess.Entry(); !entryEqual(idx[sess.SessionID], e) {
			changes[sess.SessionID] = &e
		}
	}
	for _, id := range batch {
		if !read[id] && !exists(s.sessionPath(id)) {
			changes[id] = nil
		}
	}
	if len(changes) == 0 {
		return
	}
	for id, e := range changes {
		if e == nil {
			s.warnf("index lists session %s but its file is gone; dropping it from the index", id)
		}
	}
	if err := s.setIndexEntries(changes); err != nil {
		s.warnf("could not mend the index: %v", err)
	}
}

func sortSessions(list []*session.Session) {
	slices.SortFunc(list, func(a, b *session.Session) int {
		return newer(sortItem{a.SessionID, session.SortKey(a.StartedAt)}, sortItem{b.SessionID, session.SortKey(b.StartedAt)})
	})
}

// readArchive reads every archived session.
func (s *Store) readArchive() []*session.Session {
	names, _ := readDirNames(s.archiveDir())
	var ids []string
	for _, n := range names {
		if id, ok := strings.CutSuffix(n, ".json"); ok && session.ValidateSessionID(id) == nil {
			ids = append(ids, id)
		}
	}
	return s.readSessions(ids, func(id string) string { return filepath.Join(s.archiveDir(), id+".json") })
}

// staleSessions returns the active sessions whose last heartbeat is older than
// thresholdHours (the config's stale_threshold_hours when 0).
func (s *Store) staleSessions(thresholdHours int) ([]*session.Session, error) {
	if thresholdHours <= 0 {
		cfg := s.loadConfig()
		thresholdHours = cfg.Settings.StaleThresholdHours
	}
	s.mend()
	idx, err := s.loadIndexWith("status", string(session.StatusActive))
	if err != nil {
		return nil, err
	}
	// The index holds each session's heartbeat as its file does (a writer
	// updates both, and mend brings them in line after a crash): only the
	// sessions it shows stale are read, and checked again from their files.
	now := s.now()
	for id, e := range idx {
		if hb, err := session.ParseTime(e.LastHeartbeat); err == nil && now.Sub(hb) <= time.Duration(thresholdHours)*time.Hour {
			delete(idx, id)
		}
	}
	var stale []*session.Session
	for _, sess := range s.readSelected(idx, Filter{Status: session.StatusActive}) {
		if session.IsStale(sess.Status, sess.LastHeartbeat, now, thresholdHours) {
			stale = append(stale, sess)
		}
	}
	return stale, nil
}

// freshForWorktree returns the active, not stale sessions whose work tree is
// path (compared after resolving symlinks): the sessions that occupy that
// checkout now.
func (s *Store) freshForWorktree(path string) ([]*session.Session, error) {
	path, err := session.CleanText("path", path, session.MaxWorktreeRoot, session.Line)
	if err != nil {
		return nil, err
	}
	threshold := s.loadConfig().Settings.StaleThresholdHours
	active, err := s.listSessions(Filter{Status: session.StatusActive})
	if err != nil {
		return nil, err
	}
	want := worktreeKey(path)
	now := s.now()
	var fresh []*session.Session
	for _, sess := range active {
		if sess.WorktreeRoot == nil || worktreeKey(*sess.WorktreeRoot) != want {
			continue
		}
		ref := sess.LastHeartbeat
		if ref == "" {
			ref = sess.StartedAt
		}
		t, err := session.ParseTime(ref)
		if err != nil {
			continue
		}
		if now.Sub(t) <= time.Duration(threshold)*time.Hour {
			fresh = append(fresh, sess)
		}
	}
	return fresh, nil
}

// worktreeKey resolves symlinks so that two routes to one checkout compare
// equal. On macOS, whose file systems ignore case by default, it also folds
// case, as the original does; elsewhere that would merge distinct folders.
func worktreeKey(path string) string {
	p := filepath.Clean(path)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	if runtime.GOOS == "darwin" {
		p = strings.ToLower(p)
	}
	return p
}

// indexEntries returns the index: every session outside the archive, by id.
func (s *Store) indexEntries() (map[string]session.IndexEntry, error) {
	s.mend()
	return s.loadIndex()
}
