package benchstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options say what store to generate. Zero fields take the defaults noted.
type Options struct {
	// Sessions is the number of sessions: 5% active, 5% parked, the rest
	// completed.
	Sessions int
	// Projects is the number of registered projects (default 10).
	Projects int
	// Seed makes the output deterministic together with Now.
	Seed int64
	// Now is the reference clock (default time.Now()). Active sessions have a
	// heartbeat within the 3 hours before it, except about a tenth of them,
	// whose heartbeat is more than 25 hours old so that they are stale.
	Now time.Time
	// EventsPerSession is the mean number of events (default 20).
	EventsPerSession int
	// TasksPerSession is the number of tasks per session (default 5).
	TasksPerSession int
	// LockFiles adds an empty sessions/<id>.lock for every session, as a store
	// the original has worked on for a while has.
	LockFiles bool
	// IntentLen, when positive, makes every intent exactly that many
	// characters, all of them emoji of 4 bytes in UTF-8: the largest index
	// per session the original accepts (at MaxIntent). Everything else is
	// what the same Options without IntentLen give. Zero keeps the readable
	// intents of about 60 characters.
	IntentLen int
}

// MaxIntent is the original's cap on an intent, in characters (code points).
const MaxIntent = 500

// Counts reports how Generate splits n sessions by status, and how many of
// the active ones are stale.
func Counts(n int) (active, parked, completed, stale int) {
	active = (n + 10) / 20
	parked = (n + 10) / 20
	if active > 0 {
		stale = max(1, (active+5)/10)
	}
	return active, parked, n - active - parked, stale
}

const (
	dirPerm  = 0o700
	filePerm = 0o600
	// timeLayout is Python's isoformat() of an aware UTC datetime with a
	// non-zero microsecond.
	timeLayout = "2006-01-02T15:04:05.000000-07:00"
	day        = 24 * time.Hour
)

// Generate writes a new store into dir, creating it if needed. dir must not
// already hold a store.
func Generate(dir string, opts Options) error {
	if opts.Sessions < 0 {
		return fmt.Errorf("sessions: must not be negative, have %d", opts.Sessions)
	}
	if opts.IntentLen < 0 || opts.IntentLen > MaxIntent {
		return fmt.Errorf("intent length: must be 0 to %d characters, have %d", MaxIntent, opts.IntentLen)
	}
	if opts.Projects <= 0 {
		opts.Projects = 10
	}
	if opts.EventsPerSession <= 0 {
		opts.EventsPerSession = 20
	}
	if opts.TasksPerSession <= 0 {
		opts.TasksPerSession = 5
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC()

	for _, name := range []string{"config.json", "sessions", "projects"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("generate store: %s already holds a store (%s exists)", dir, name)
		}
	}
	for _, d := range []string{"sessions/archive", "projects"} {
		if err := os.MkdirAll(filepath.Join(dir, d), dirPerm); err != nil {
			return fmt.Errorf("generate store: %w", err)
		}
	}

	g := &generator{
		r:    rand.New(rand.NewPCG(uint64(opts.Seed), 0x5e55_5e55)),
		long: rand.New(rand.NewPCG(uint64(opts.Seed), 0x1f60_0000)),
		opts: opts,
		ids:  map[string]bool{},
	}
	projs := g.projects()
	sessions := g.sessions(projs)

	files := make([]file, 0, len(sessions)+len(projs)+3)
	for _, s := range sessions {
		files = append(files, file{filepath.Join("sessions", s.SessionID+".json"), s})
	}
	if opts.LockFiles {
		for _, s := range sessions {
			files = append(files, file{filepath.Join("sessions", s.SessionID+".lock"), nil})
		}
		files = append(files, file{filepath.Join("sessions", "_index.lock"), nil})
	}
	files = append(files, file{filepath.Join("sessions", "_index.json"), index(sessions)})
	for _, p := range projs {
		files = append(files, file{filepath.Join("projects", p.slug+".json"), g.projectState(p, sessions)})
	}
	files = append(files, file{"config.json", g.config(projs)})
	return writeAll(dir, files)
}

// file is one file of the store: a record to encode, or nil for an empty file.
type file struct {
	rel string
	v   any
}

// writeAll encodes and writes the files on a few goroutines each: creating
// thousands of small files is kernel time that overlaps well.
func writeAll(dir string, files []file) error {
	var (
		mu    sync.Mutex
		first error
		next  = make(chan file)
		wg    sync.WaitGroup
	)
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var b bytes.Buffer
			for f := range next {
				b.Reset()
				err := encode(&b, f.v)
				if err == nil {
					err = os.WriteFile(filepath.Join(dir, f.rel), b.Bytes(), filePerm)
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("write %s: %w", f.rel, err)
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, f := range files {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- f
	}
	close(next)
	wg.Wait()
	return first
}

// encode writes v as json.dump(v, f, indent=2, ensure_ascii=False) and a
// newline would: the text generated here holds no character where the two
// encoders differ (control characters, U+2028, U+2029).
func encode(b *bytes.Buffer, v any) error {
	if v == nil {
		return nil
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// stamp formats t as the original's timestamps, moving it to a non-zero
// microsecond (Python's isoformat leaves the fraction out at zero).
func stamp(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		t = t.Add(time.Microsecond)
	}
	return t.Format(timeLayout)
}

func ptr(s string) *string { return &s }

type project struct {
	slug, name, path string
	registered       time.Time
}

type generator struct {
	r *rand.Rand
	// long draws the long intents of IntentLen, apart from r so that the rest
	// of the store stays what it is without them.
	long *rand.Rand
	opts Options
	ids  map[string]bool
}

// between returns a random duration in [lo, hi) at microsecond resolution.
func (g *generator) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(g.r.Int64N(int64((hi-lo)/time.Microsecond)))*time.Microsecond
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) projects() []project {
	names := []string{
		"Odin Backend", "Freya Web", "Thor CLI", "Loki Infra", "Mimir Docs",
		"Heimdall Auth", "Baldur Mobile", "Idun Data", "Bragi Search", "Tyr Billing",
	}
	out := make([]project, g.opts.Projects)
	for i := range out {
		name := fmt.Sprintf("Project %d", i+1)
		if i < len(names) {
			name = names[i]
		}
		slug := strings.ReplaceAll(strings.ToLower(name), " ", "-")
		out[i] = project{
			slug:       slug,
			name:       name,
			path:       "/home/dev/projects/" + slug,
			registered: g.opts.Now.Add(-125*day - g.between(0, 30*day)),
		}
	}
	return out
}

// sessions draws all sessions, oldest first: the order the original's index
// holds them in, since it adds each one when it is created.
func (g *generator) sessions(projs []project) []*sessionRecord {
	active, parked, completed, stale := Counts(g.opts.Sessions)
	type draft struct {
		rec     *sessionRecord
		started time.Time
	}
	drafts := make([]draft, 0, g.opts.Sessions)
	add := func(status string, stale bool) {
		p := projs[g.r.IntN(len(projs))]
		s, started := g.session(p, status, stale)
		drafts = append(drafts, draft{s, started})
	}
	for i := range active {
		add("active", i < stale)
	}
	for range parked {
		add("parked", false)
	}
	for range completed {
		add("completed", false)
	}
	slices.SortStableFunc(drafts, func(a, b draft) int { return a.started.Compare(b.started) })
	out := make([]*sessionRecord, len(drafts))
	for i, d := range drafts {
		out[i] = d.rec
	}
	return out
}

// session draws one session of project p; its times depend on status.
func (g *generator) session(p project, status string, stale bool) (*sessionRecord, time.Time) {
	now := g.opts.Now
	started, heartbeat, ended := g.times(status, stale)

	s := &sessionRecord{
		SessionID:     g.sessionID(started),
		ProjectSlug:   p.slug,
		Status:        status,
		Intent:        g.intent(),
		StartedAt:     stamp(started),
		GitBranch:     "main",
		FilesChanged:  []string{},
		Commits:       []commit{},
		Decisions:     []string{},
		OpenQuestions: []string{},
		NextSteps:     []string{},
		SchemaVersion: 4,
	}
	if g.chance(0.5) {
		s.RoadmapRef = ptr(fmt.Sprintf("%s.%d", pick(g.r, phases), 1+g.r.IntN(6)))
	}
	if g.chance(0.4) {
		s.GitBranch = "feature/" + pick(g.r, branches) + "-" + hexString(g.r, 4)
	}
	if g.chance(0.3) {
		s.WorktreeRoot = ptr(p.path)
	}
	if g.chance(0.4) {
		s.ClaudeSessionID = ptr(uuidText(g.r))
	}
	if status == "active" || g.chance(0.7) {
		s.CurrentActivity = ptr(pick(g.r, activities))
	}
	if status == "active" && g.chance(0.1) {
		s.AwaitingAction = ptr(pick(g.r, awaiting))
	}

	s.Events = g.events(started, heartbeat)
	s.Tasks = g.tasks(status, started, heartbeat)
	for range g.r.IntN(map[string]int{"active": 3, "parked": 4, "completed": 5}[status]) {
		s.Commits = append(s.Commits, commit{SHA: hexString(g.r, 40), Message: commitText(g.r)})
	}
	s.Decisions = subset(g.r, decisionTexts, g.r.IntN(4))
	if status != "completed" || g.chance(0.2) {
		s.OpenQuestions = subset(g.r, questions, g.r.IntN(3))
	}

	switch status {
	case "parked":
		s.ParkedReason = ptr(pick(g.r, reasons))
		s.NextSteps = subset(g.r, nextStepTexts, 1+g.r.IntN(3))
	case "completed":
		s.Outcome = ptr(outcomeText(g.r))
		if g.chance(0.03) && heartbeat.Add(73*time.Hour).Before(now) {
			// Closed by cleanup-stale: it sets ended_at and the heartbeat.
			ended = heartbeat.Add(g.between(25*time.Hour, 72*time.Hour))
			heartbeat = ended
			s.Outcome = ptr("Automatisch afgesloten (stale — geen heartbeat)")
		}
		s.NextSteps = subset(g.r, nextStepTexts, 1+g.r.IntN(3))
		s.FilesChanged = subset(g.r, files, g.r.IntN(7))
	}
	s.LastHeartbeat = stamp(heartbeat)
	if !ended.IsZero() {
		s.EndedAt = ptr(stamp(ended))
	}
	return s, started
}

// intent draws a session's intent: the readable text, or with IntentLen
// that many emoji in its place (the text is still drawn, to keep r's
// sequence).
func (g *generator) intent() string {
	text := intentText(g.r)
	if g.opts.IntentLen == 0 {
		return text
	}
	return emojiText(g.long, g.opts.IntentLen)
}

// sessionID returns a new id in the UTC minute of t.
func (g *generator) sessionID(t time.Time) string {
	prefix := "sess_" + t.UTC().Format("20060102T1504") + "_"
	for {
		id := prefix + hexString(g.r, 4)
		if !g.ids[id] {
			g.ids[id] = true
			return id
		}
	}
}

// events draws about EventsPerSession events between from and to.
func (g *generator) events(from, to time.Time) []event {
	n := g.opts.EventsPerSession
	n = n/2 + g.r.IntN(n+1)
	offsets := make([]time.Duration, n)
	for i := range offsets {
		offsets[i] = g.between(0, to.Sub(from))
	}
	slices.Sort(offsets)
	out := make([]event, n)
	for i, d := range offsets {
		out[i] = event{Timestamp: stamp(from.Add(d)), Message: eventText(g.r)}
	}
	return out
}

func (g *generator) tasks(status string, from, to time.Time) []task {
	statuses := map[string][]string{
		"active":    {"pending", "pending", "in_progress", "completed", "completed"},
		"parked":    {"pending", "in_progress", "completed", "completed", "skipped"},
		"completed": {"completed", "completed", "completed", "completed", "skipped"},
	}[status]
	seen := map[string]bool{}
	out := make([]task, 0, g.opts.TasksPerSession)
	for len(out) < g.opts.TasksPerSession {
		subject := taskText(g.r)
		if seen[subject] {
			continue
		}
		seen[subject] = true
		added := from.Add(g.between(0, to.Sub(from)/4))
		out = append(out, task{
			ID:        "t" + hexString(g.r, 8),
			Subject:   subject,
			Status:    pick(g.r, statuses),
			AddedAt:   stamp(added),
			UpdatedAt: stamp(added.Add(g.between(0, to.Sub(added)))),
		})
	}
	return out
}

// index builds sessions/_index.json.
func index(sessions []*sessionRecord) ordered[indexEntry] {
	var idx ordered[indexEntry]
	for _, s := range sessions {
		idx.add(s.SessionID, indexEntry{
			ProjectSlug:   s.ProjectSlug,
			Status:        s.Status,
			Intent:        s.Intent,
			StartedAt:     s.StartedAt,
			EndedAt:       s.EndedAt,
			LastHeartbeat: s.LastHeartbeat,
		})
	}
	return idx
}

// projectState derives projects/<slug>.json as the original's refresh does
// after a change: counts, newest activity, recent commits, open questions of
// active and parked sessions, and next steps of the newest ended session.
func (g *generator) projectState(p project, sessions []*sessionRecord) projectState {
	ps := projectState{
		ProjectSlug:  p.slug,
		CurrentPhase: fmt.Sprintf("%s — %s", pick(g.r, phases), intentText(g.r)),
		RoadmapSummary: roadmapSummary{
			Completed:  []string{},
			InProgress: []string{},
			NextUp:     []string{},
		},
		RecentCommits: []commit{},
		OpenQuestions: []string{},
		UpdatedAt:     stamp(g.opts.Now.Add(-g.between(time.Second, time.Hour))),
	}
	for i := range 2 + g.r.IntN(3) {
		ps.RoadmapSummary.Completed = append(ps.RoadmapSummary.Completed, roadmapItem(g.r, i))
	}
	for i := range 1 + g.r.IntN(2) {
		ps.RoadmapSummary.InProgress = append(ps.RoadmapSummary.InProgress, roadmapItem(g.r, i))
	}

	var newestFirst []*sessionRecord
	for i := len(sessions) - 1; i >= 0; i-- {
		if sessions[i].ProjectSlug == p.slug {
			newestFirst = append(newestFirst, sessions[i])
		}
	}
	ps.TotalSessions = len(newestFirst)
	if len(newestFirst) > 0 {
		ps.LastActivity = newestFirst[0].LastHeartbeat
	}
	seen := map[string]bool{}
	var questionsFrom []*sessionRecord
	for _, s := range newestFirst {
		switch s.Status {
		case "active":
			ps.ActiveSessions++
			questionsFrom = append(questionsFrom, s)
		case "parked":
			ps.ParkedSessions++
		}
	}
	for _, s := range newestFirst {
		if s.Status == "parked" {
			questionsFrom = append(questionsFrom, s)
		}
	}
	for _, s := range questionsFrom {
		for _, q := range s.OpenQuestions {
			if !seen[q] {
				seen[q] = true
				ps.OpenQuestions = append(ps.OpenQuestions, q)
			}
		}
	}
	for _, s := range newestFirst[:min(10, len(newestFirst))] {
		ps.RecentCommits = append(ps.RecentCommits, s.Commits...)
	}
	ps.RecentCommits = ps.RecentCommits[:min(10, len(ps.RecentCommits))]
	for _, s := range newestFirst {
		if len(s.NextSteps) > 0 && s.Status != "active" {
			ps.RoadmapSummary.NextUp = s.NextSteps[:min(3, len(s.NextSteps))]
			break
		}
	}
	return ps
}

func (g *generator) config(projs []project) config {
	c := config{Version: 1, Settings: defaultSettings()}
	for _, p := range projs {
		c.Projects.add(p.slug, registration{Name: p.name, Path: p.path, RegisteredAt: stamp(p.registered)})
	}
	return c
}

// times draws a session's start, last heartbeat and end (zero while open)
// for its status.
func (g *generator) times(status string, stale bool) (started, heartbeat, ended time.Time) {
	now := g.opts.Now
	switch {
	case status == "active" && stale:
		heartbeat = now.Add(-g.between(25*time.Hour, 45*day))
		started = heartbeat.Add(-g.between(10*time.Minute, 4*time.Hour))
	case status == "active":
		started = now.Add(-g.between(10*time.Minute, 8*time.Hour))
		heartbeat = now.Add(-g.between(30*time.Second, min(3*time.Hour, now.Sub(started))))
	case status == "parked":
		started = now.Add(-g.between(4*time.Hour, 120*day))
		heartbeat = started.Add(g.between(10*time.Minute, 3*time.Hour))
		ended = heartbeat.Add(g.between(5*time.Second, 5*time.Minute))
	default:
		started = now.Add(-g.between(6*time.Hour, 120*day))
		heartbeat = started.Add(g.between(10*time.Minute, 4*time.Hour))
		ended = heartbeat.Add(g.between(5*time.Second, 10*time.Minute))
	}
	return started, heartbeat, ended
}
