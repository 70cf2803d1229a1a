package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The history is every session of the store, the archived ones included,
// and of every other machine of a shared journal (machines.go), as the
// page pages through it (GET /api/sessions) and counts it per project
// (GET /api/projects). The overview shows a project's open sessions
// and its five newest completed ones; the rest is reached from here.
//
// The index says all that choosing and ordering a live session needs, so a
// page of the history reads only the files of its sessions. Archived
// sessions have no index: each is read once and remembered by its file's
// modification time (archiveMemo).

// A catalogEntry is what choosing and ordering a session needs.
type catalogEntry struct {
	src     *source
	ref     store.StoredRef
	project string
	status  session.Status
	stale   bool
	key     string // the start time as text whose order is time order; "" sorts last
	last    string // the last heartbeat, else the start
}

// A source is one machine's sessions as the catalog reads them: this
// machine's store, or another machine's part of a shared journal.
type source struct {
	v         *store.View
	st        *store.Store
	machine   *replica.Machine // nil for this machine's
	threshold int              // its stale threshold, in hours
}

// sourcesOf are the machines of j, this one first.
func sourcesOf(j *replica.Journal) []*source {
	out := []*source{{v: j.Local.View(), st: j.Local}}
	for _, m := range j.Others {
		out = append(out, &source{v: m.Store.View(), st: m.Store, machine: m})
	}
	for _, src := range out {
		src.threshold = src.v.Config().Settings.StaleThresholdHours
	}
	return out
}

// key is what names a session of the source among every machine's: its
// id, after the machine's for another machine's (two machines may draw
// one id).
func (src *source) key(id string) string {
	if src.machine == nil {
		return id
	}
	return src.machine.ID + "/" + id
}

// read reads the session a ref of the source names, marked with its
// machine's name when it is another machine's.
func (src *source) read(r store.StoredRef) (*session.Session, error) {
	sess, err := src.v.ReadStored(r)
	if err == nil && src.machine != nil {
		name := src.machine.Name
		sess.Machine = &name
	}
	return sess, err
}

// read reads the session of a catalog entry.
func (e catalogEntry) read() (*session.Session, error) { return e.src.read(e.ref) }

// archiveMemo remembers the catalog entries of archived sessions by
// machine, id and file time. It holds one small entry per archived file
// and forgets those that are gone at every catalog.
type archiveMemo struct {
	mu sync.Mutex
	m  map[string]memoEntry
}

type memoEntry struct {
	mod time.Time
	e   catalogEntry
}

// catalog lists every stored session of every machine of j newest started
// first, with what the index (or the memo, for archived ones) says of it.
// A part that cannot be listed is left out: its store warned of it.
func (s *Server) catalog(j *replica.Journal) ([]catalogEntry, error) {
	now := s.st.View().Now()
	var out []catalogEntry
	s.archive.mu.Lock()
	defer s.archive.mu.Unlock()
	seen := make(map[string]bool)
	for _, src := range sourcesOf(j) {
		refs, err := src.v.StoredSessions()
		if err != nil {
			if src.machine == nil {
				return nil, err
			}
			continue
		}
		out = slices.Grow(out, len(refs))
		for _, r := range refs {
			if r.Entry != nil {
				e := r.Entry
				out = append(out, catalogEntry{
					src: src, ref: r, project: e.ProjectSlug, status: e.Status,
					stale: session.IsStale(e.Status, e.LastHeartbeat, now, src.threshold),
					key:   session.SortKey(e.StartedAt), last: lastActivity(e.LastHeartbeat, e.StartedAt),
				})
				continue
			}
			k := src.key(r.ID)
			seen[k] = true
			if m, ok := s.archive.m[k]; ok && m.mod.Equal(r.ModTime) && !r.ModTime.IsZero() {
				m.e.src, m.e.ref = src, r
				out = append(out, m.e)
				continue
			}
			sess, err := src.v.ReadStored(r)
			if err != nil {
				fmt.Fprintf(s.log, "sess-serve: skipping archived session %s: %v\n", k, err)
				continue
			}
			e := entryOf(src, r, sess, now)
			s.archive.m[k] = memoEntry{mod: r.ModTime, e: e}
			out = append(out, e)
		}
	}
	for k := range s.archive.m {
		if !seen[k] {
			delete(s.archive.m, k)
		}
	}
	slices.SortFunc(out, func(a, b catalogEntry) int {
		if c := strings.Compare(b.key, a.key); c != 0 {
			return c
		}
		return strings.Compare(b.ref.ID, a.ref.ID)
	})
	return out, nil
}

// entryOf is the catalog entry of a session read from its file.
func entryOf(src *source, r store.StoredRef, sess *session.Session, now time.Time) catalogEntry {
	return catalogEntry{
		src: src, ref: r, project: sess.ProjectSlug, status: sess.Status,
		stale: session.IsStale(sess.Status, sess.LastHeartbeat, now, src.threshold),
		key:   session.SortKey(sess.StartedAt), last: lastActivity(sess.LastHeartbeat, sess.StartedAt),
	}
}

func lastActivity(heartbeat, started string) string {
	if heartbeat != "" {
		return heartbeat
	}
	return started
}

// statusFilter is a tab of the page: all, active (stale ones included),
// parked, completed or stale.
type statusFilter string

func parseStatusFilter(v string) (statusFilter, error) {
	switch v {
	case "", "all":
		return "all", nil
	case "active", "parked", "completed", "stale":
		return statusFilter(v), nil
	}
	return "", session.Invalid("status", "must be all, active, parked, completed or stale (got %q)", session.Clip(v))
}

func (f statusFilter) matches(status session.Status, stale bool) bool {
	switch f {
	case "all":
		return true
	case "stale":
		return stale
	}
	return string(f) == string(status)
}

// statusCounts are a listing's sessions by tab.
type statusCounts struct {
	All       int `json:"all"`
	Active    int `json:"active"` // stale ones included
	Parked    int `json:"parked"`
	Completed int `json:"completed"`
	Stale     int `json:"stale"`
	Archived  int `json:"archived"`
}

func (c *statusCounts) add(status session.Status, stale, archived bool) {
	c.All++
	switch status {
	case session.StatusActive:
		c.Active++
	case session.StatusParked:
		c.Parked++
	case session.StatusCompleted:
		c.Completed++
	}
	if stale {
		c.Stale++
	}
	if archived {
		c.Archived++
	}
}

// sessionSummary is a session as a row of the page shows it: no task list,
// decisions, commits or files, and only the last five events.
type sessionSummary struct {
	SessionID       string              `json:"session_id"`
	ProjectSlug     string              `json:"project_slug"`
	Status          session.Status      `json:"status"`
	IsStale         bool                `json:"is_stale"`
	Archived        bool                `json:"archived"`
	Intent          string              `json:"intent"`
	StartedAt       string              `json:"started_at"`
	LastHeartbeat   string              `json:"last_heartbeat"`
	EndedAt         *string             `json:"ended_at"`
	Outcome         *string             `json:"outcome"`
	ParkedReason    *string             `json:"parked_reason"`
	CurrentActivity *string             `json:"current_activity"`
	AwaitingAction  *string             `json:"awaiting_action"`
	GitBranch       string              `json:"git_branch"`
	Events          []session.Event     `json:"events"`
	EventCount      int                 `json:"event_count"`
	NextSteps       []string            `json:"next_steps"`
	TaskSummary     session.TaskSummary `json:"task_summary"`
	// Machine names the machine of another machine's session (a shared
	// journal's); left out for this machine's.
	Machine *string      `json:"machine,omitempty"`
	Match   *searchMatch `json:"match,omitempty"`
}

// lastEvents is how many events a summary carries, as in the overview.
const lastEvents = 5

func summarize(sess *session.Session, stale, archived bool) sessionSummary {
	events := sess.Events
	if len(events) > lastEvents {
		events = events[len(events)-lastEvents:]
	}
	return sessionSummary{
		SessionID: sess.SessionID, ProjectSlug: sess.ProjectSlug, Status: sess.Status,
		IsStale: stale, Archived: archived,
		Intent: sess.Intent, StartedAt: sess.StartedAt, LastHeartbeat: sess.LastHeartbeat, EndedAt: sess.EndedAt,
		Outcome: sess.Outcome, ParkedReason: sess.ParkedReason, CurrentActivity: sess.CurrentActivity,
		AwaitingAction: sess.AwaitingAction, GitBranch: sess.GitBranch,
		Events: nonNil(events), EventCount: len(sess.Events), NextSteps: nonNil(sess.NextSteps),
		TaskSummary: session.SummarizeTasks(sess.Tasks), Machine: sess.Machine,
	}
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// sessionPage is one page of a listing: its sessions, how many pass the
// filter in all (total), and how many the listing has per tab, whatever the
// tab asked for.
type sessionPage struct {
	Sessions []sessionSummary `json:"sessions"`
	Total    int              `json:"total"`
	Offset   int              `json:"offset"`
	Limit    int              `json:"limit"`
	Counts   statusCounts     `json:"counts"`
}

// Paging bounds: a page holds at most maxLimit sessions.
const (
	defaultLimit = 25
	maxLimit     = 100
	maxOffset    = 1 << 20
	maxProject   = 200 // bytes of a project filter: longer than any slug
)

// listParams are the parameters of /api/sessions and /api/search.
type listParams struct {
	project       string
	status        statusFilter
	offset, limit int
}

func parseListParams(q url.Values) (listParams, error) {
	p := listParams{project: q.Get("project"), limit: defaultLimit}
	if len(p.project) > maxProject {
		return p, session.Invalid("project", "too long")
	}
	var err error
	if p.status, err = parseStatusFilter(q.Get("status")); err != nil {
		return p, err
	}
	if p.offset, err = intParam(q, "offset", 0, 0, maxOffset); err != nil {
		return p, err
	}
	if p.limit, err = intParam(q, "limit", defaultLimit, 1, maxLimit); err != nil {
		return p, err
	}
	return p, nil
}

// key is the parameters as a cache key: parsed values, not the URL's text.
func (p listParams) key() string {
	return "project=" + url.QueryEscape(p.project) + "&status=" + string(p.status) +
		"&offset=" + strconv.Itoa(p.offset) + "&limit=" + strconv.Itoa(p.limit)
}

func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, session.Invalid(name, "must be a number from %d to %d", lo, hi)
	}
	return n, nil
}

// sessionsQuery answers GET /api/sessions?project=&status=&offset=&limit=:
// a page of the sessions of a project (or of all), newest started first,
// archived ones included.
func (s *Server) sessionsQuery(r *http.Request) (string, func() (any, error), error) {
	p, err := parseListParams(r.URL.Query())
	if err != nil {
		return "", nil, err
	}
	return "sessions?" + p.key(), func() (any, error) { return s.sessions(s.journal(), p) }, nil
}

func (s *Server) sessions(j *replica.Journal, p listParams) (*sessionPage, error) {
	cat, err := s.catalog(j)
	if err != nil {
		return nil, err
	}
	page := &sessionPage{Sessions: []sessionSummary{}, Offset: p.offset, Limit: p.limit}
	var chosen []catalogEntry
	for _, e := range cat {
		if p.project != "" && e.project != p.project {
			continue
		}
		page.Counts.add(e.status, e.stale, e.ref.Archived)
		if p.status.matches(e.status, e.stale) {
			chosen = append(chosen, e)
		}
	}
	page.Total = len(chosen)
	if p.offset < len(chosen) {
		chosen = chosen[p.offset:min(len(chosen), p.offset+p.limit)]
	} else {
		chosen = nil
	}
	now := s.st.View().Now()
	for _, e := range chosen {
		sess, err := e.read()
		if err != nil {
			fmt.Fprintf(s.log, "sess-serve: skipping session %s: %v\n", e.src.key(e.ref.ID), err)
			continue
		}
		page.Sessions = append(page.Sessions, summarize(sess, session.IsStale(sess.Status, sess.LastHeartbeat, now, e.src.threshold), e.ref.Archived))
	}
	return page, nil
}

// projectCounts is one project of GET /api/projects.
type projectCounts struct {
	Slug         string       `json:"slug"`
	Name         string       `json:"name"`
	Registered   bool         `json:"registered"`
	LastActivity string       `json:"last_activity"`
	Counts       statusCounts `json:"counts"`
}

// projectsQuery answers GET /api/projects: every project that is
// registered or has a session, archived ones included, with its sessions
// counted by tab. The registered ones come first, in config.json's order
// (this machine's, then each other machine's projects this one has not),
// then the others by slug.
func (s *Server) projectsQuery(*http.Request) (string, func() (any, error), error) {
	return "projects", func() (any, error) { return s.projects(s.journal()) }, nil
}

func (s *Server) projects(j *replica.Journal) (*projectList, error) {
	cat, err := s.catalog(j)
	if err != nil {
		return nil, err
	}
	var list []*projectCounts
	bySlug := map[string]*projectCounts{}
	for _, src := range sourcesOf(j) {
		for _, p := range src.v.Config().Projects {
			if bySlug[p.Slug] == nil {
				pc := &projectCounts{Slug: p.Slug, Name: p.Name, Registered: true}
				list = append(list, pc)
				bySlug[p.Slug] = pc
			}
		}
	}
	registered := len(list)
	for _, e := range cat {
		pc := bySlug[e.project]
		if pc == nil {
			pc = &projectCounts{Slug: e.project, Name: e.project}
			list = append(list, pc)
			bySlug[e.project] = pc
		}
		pc.Counts.add(e.status, e.stale, e.ref.Archived)
		if later(e.last, pc.LastActivity) {
			pc.LastActivity = e.last
		}
	}
	slices.SortFunc(list[registered:], func(a, b *projectCounts) int { return strings.Compare(a.Slug, b.Slug) })
	out := make([]projectCounts, len(list))
	for i, pc := range list {
		out[i] = *pc
	}
	return &projectList{Projects: out}, nil
}

type projectList struct {
	Projects []projectCounts `json:"projects"`
}

// later reports whether timestamp a is after b ("" is before everything).
func later(a, b string) bool {
	return session.SortKey(a) > session.SortKey(b)
}
