package server

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/sess-dev/sess/internal/cost"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
)

// The money on the page, read from Claude Code's transcripts (package
// cost):
//
//	GET /api/usage?tz=Area/City&days=30
//	  {timezone, date, today, month, days: [YYYY-MM-DD, oldest first],
//	   projects: [{slug, today_usd, month_usd, all_usd, usd: [per day of days]}]}
//	  today and month are every project's, cost.Summary's shape (usd,
//	  tokens by kind, models by cost, unpriced_models); date is today in
//	  timezone, which is tz (an IANA name; the server's own zone, "Local",
//	  when not given); days is 1..366 (30), ending today, as
//	  /api/activity's; projects are every project anything was spent in,
//	  by slug, "" (last) for requests of no project sess knows.
//	GET /api/session/:id/cost
//	  {session_id, cost, sessions: [{session_id, project, intent,
//	   started_at, cost}], total}: what the session cost, each session of
//	  its thread (oldest first, itself among them) and the thread's sum,
//	  as `sess-manage usage thread` prints them. 404 for an unknown id.
//
// Transcripts grow without the store changing, so the store's
// fingerprint cannot tell whether a costing still holds. What can, and
// cheaply, is the list of transcripts with their sizes and times: on
// 200 MiB of transcripts (373 files, bench/gentranscripts) listing them
// takes 3–6 ms, a costing of every project 60–90 ms once usage's
// summaries are made, and 1.2 s the first time. So /api/usage is kept
// under that list (with the store's fingerprint) and today's date, and
// made again only when a transcript moved; a session's cost, a few
// transcripts, is made on every request (2 ms).
//
// Costings run in a lane of their own, one at a time: a pass reads with
// every core already, and a first one must not hold the slots that every
// other answer waits on.
const (
	costSlots        = 1
	costCacheEntries = 8       // time zones and windows asked for
	costCacheBytes   = 1 << 20 // a year's days of a dozen projects is ~100 KB
	defaultUsageDays = 30
	maxZoneName      = 64
)

// costRoute serves the answer to q computed in the costs' lane.
func (s *Server) costRoute(q query) http.Handler { return s.laneRoute(&s.costs, q) }

// costConfig is where the money is read from: the projects folders
// Options.Getenv says, else the conversations' projects folder; and what
// the other machines of j published of theirs (their usage summaries).
func (s *Server) costConfig(j *replica.Journal) cost.Config {
	var roots []string
	if s.getenv != nil {
		roots = usage.ProjectRoots(s.getenv)
	} else if s.transcripts != "" {
		roots = []string{s.transcripts}
	}
	c := cost.Config{Store: s.st, Roots: roots, Mode: usage.Auto, Warnf: s.costWarnf}
	for _, m := range j.Others {
		c.Others = append(c.Others, cost.Machine{Name: m.Name, Store: m.Store, Usage: m.UsageDir()})
	}
	return c
}

// costStamp moves whenever a costing of every project could: with the
// journal (the store, and the parts of the other machines), with any
// transcript's size or time, and with any of the other machines' usage
// summaries, looked at (not read: the replicator renames a new one in).
func (s *Server) costStamp() string {
	j := s.journal()
	h := sha256.New()
	io.WriteString(h, stampOf(j)+"\n")
	others := j.Others
	j.Others = nil // their summaries are looked at below
	srcs, _ := s.costConfig(j).Sources()
	for _, src := range srcs {
		fmt.Fprintf(h, "%s %d %d %t\n", src.Path, src.Size, src.ModTime.UnixNano(), src.Archived)
	}
	for _, m := range others {
		entries, _ := os.ReadDir(m.UsageDir())
		for _, e := range entries {
			if fi, err := e.Info(); err == nil {
				fmt.Fprintf(h, "%s %s %d %d\n", m.ID, e.Name(), fi.Size(), fi.ModTime().UnixNano())
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// usageQuery answers GET /api/usage?tz=&days=.
func (s *Server) usageQuery(r *http.Request) (string, func() (any, error), error) {
	q := r.URL.Query()
	loc, err := zoneParam(q.Get("tz"))
	if err != nil {
		return "", nil, err
	}
	days, err := intParam(q, "days", defaultUsageDays, 1, 366)
	if err != nil {
		return "", nil, err
	}
	now := s.v.Now()
	key := fmt.Sprintf("usage?tz=%s&days=%d&date=%s", loc, days, now.In(loc).Format(time.DateOnly))
	return key, func() (any, error) { return s.usage(s.journal(), loc, now, days) }, nil
}

// zoneParam reads a time zone: an IANA name (Europe/Amsterdam, UTC), the
// server's own zone when empty.
func zoneParam(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	// LoadLocation takes "Local" too, and reads a file by the name: only
	// what can be a zone's name is given to it.
	if len(name) > maxZoneName || name == "Local" {
		return nil, badZone(name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, badZone(name)
	}
	return loc, nil
}

func badZone(name string) error {
	if len(name) > maxZoneName {
		name = name[:maxZoneName] + "…"
	}
	return session.Invalid("tz", "%q is not a time zone: give an IANA name, such as Europe/Amsterdam or UTC", name)
}

// usageAnswer is GET /api/usage's answer.
type usageAnswer struct {
	Timezone string         `json:"timezone"`
	Date     string         `json:"date"`
	Today    *cost.Summary  `json:"today"`
	Month    *cost.Summary  `json:"month"`
	Days     []string       `json:"days"`
	Projects []projectUsage `json:"projects"`
}

// projectUsage is one project's dollars.
type projectUsage struct {
	Slug  string    `json:"slug"`
	Today float64   `json:"today_usd"`
	Month float64   `json:"month_usd"`
	All   float64   `json:"all_usd"`
	USD   []float64 `json:"usd"`
}

// usage costs every project of every machine of j as of now, its days in
// loc.
func (s *Server) usage(j *replica.Journal, loc *time.Location, now time.Time, days int) (*usageAnswer, error) {
	sp, err := cost.Projects(s.costConfig(j), loc, now, time.Time{})
	if err != nil {
		return nil, err
	}
	a := &usageAnswer{Timezone: loc.String(), Date: now.In(loc).Format(time.DateOnly),
		Today: cost.Summarize(&sp.Today), Month: cost.Summarize(&sp.Month), Days: lastDays(now.In(loc), days), Projects: []projectUsage{}}
	for _, slug := range spentSlugs(sp) {
		p := sp.Projects[slug]
		line := projectUsage{Slug: slug, Today: cost.Round(p.Today.Cost), Month: cost.Round(p.Month.Cost), All: cost.Round(p.All.Cost), USD: make([]float64, days)}
		for i, d := range a.Days {
			line.USD[i] = cost.Round(sp.Days[d][slug])
		}
		a.Projects = append(a.Projects, line)
	}
	return a, nil
}

// spentSlugs are the projects of a Spend by slug, "" last.
func spentSlugs(sp *cost.Spend) []string {
	slugs := make([]string, 0, len(sp.Projects))
	for slug := range sp.Projects {
		slugs = append(slugs, slug)
	}
	sort.Slice(slugs, func(i, j int) bool {
		if (slugs[i] == "") != (slugs[j] == "") {
			return slugs[j] == ""
		}
		return slugs[i] < slugs[j]
	})
	return slugs
}

// lastDays are the n days up to today's (of t), oldest first. Each is
// counted by the calendar, not by 24 hours, which a change of summer
// time would skip or repeat a day by.
func lastDays(t time.Time, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = time.Date(t.Year(), t.Month(), t.Day()-(n-1-i), 12, 0, 0, 0, t.Location()).Format(time.DateOnly)
	}
	return out
}

// sessionCostQuery answers GET /api/session/:id/cost; not cached (see
// above).
func (s *Server) sessionCostQuery(r *http.Request) (string, func() (any, error), error) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	return "", func() (any, error) { return s.sessionCost(id) }, nil
}

// sessionCostAnswer is what a session and its thread cost.
type sessionCostAnswer struct {
	SessionID string        `json:"session_id"`
	Cost      *cost.Summary `json:"cost"`
	*cost.ThreadCost
}

func (s *Server) sessionCost(id string) (*sessionCostAnswer, error) {
	j := s.journal()
	thread, err := j.Thread(id)
	if err != nil {
		return nil, err
	}
	tc, err := cost.Thread(s.costConfig(j), thread)
	if err != nil {
		return nil, err
	}
	return &sessionCostAnswer{SessionID: id, Cost: tc.Of(id), ThreadCost: tc}, nil
}

// costWarnf logs what a costing could not read, once: the page asks for
// the money every minute, and would have the same warning logged each
// time.
func (s *Server) costWarnf(format string, args ...any) {
	if msg := fmt.Sprintf(format, args...); s.warned.first(msg) {
		fmt.Fprintf(s.log, "sess-serve: %s\n", msg)
	}
}

// warnOnce remembers the warnings said, up to maxWarnings of them (then
// it says no more: the log already shows that something is wrong).
type warnOnce struct {
	mu   sync.Mutex
	said map[string]bool
}

const maxWarnings = 100

// first reports whether msg is new, and remembers it.
func (w *warnOnce) first(msg string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.said[msg] || len(w.said) >= maxWarnings {
		return false
	}
	if w.said == nil {
		w.said = map[string]bool{}
	}
	w.said[msg] = true
	return true
}
