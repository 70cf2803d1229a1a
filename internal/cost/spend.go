package cost

import (
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// Spend is what every project cost: today, this month and per day.
type Spend struct {
	Today, Month usage.Tally
	Projects     map[string]*ProjectSpend // by slug; "" for requests of no project sess knows
	Days         map[string]map[string]float64
	Stats        usage.Stats
}

// ProjectSpend is one project's.
type ProjectSpend struct {
	Today, Month, All usage.Tally
}

// Sources are every transcript a full costing reads: those under the
// projects folders, the conversations only the archive holds, and what
// only a summary keeps of a transcript that is gone.
func (c Config) Sources() ([]usage.Source, *usage.Cache) {
	srcs := usage.Transcripts(c.Roots)
	if c.Store == nil {
		return srcs, nil
	}
	kept, err := usage.Kept(transcripts.Of(c.Store), srcs)
	if err != nil && c.Warnf != nil {
		c.Warnf("usage: the transcript archive: %v", err)
	}
	srcs = append(srcs, kept...)
	cache := c.cache()
	if cache != nil {
		srcs = append(srcs, cache.Orphans(srcs)...)
	}
	for _, m := range c.Others {
		srcs = append(srcs, usage.Published(m.Usage, m.Name)...)
	}
	return srcs, cache
}

// Projects is what each project cost, its days in loc, as of now; with
// since, only transcripts written to since then are read (All is then
// what was spent since).
func Projects(c Config, loc *time.Location, now, since time.Time) (*Spend, error) {
	srcs, cache := c.Sources()
	if !since.IsZero() {
		srcs = writtenSince(srcs, since)
	}
	sp := &Spend{Projects: map[string]*ProjectSpend{}, Days: map[string]map[string]float64{}}
	today, month := now.In(loc).Format(time.DateOnly), now.In(loc).Format("2006-01")
	of := c.projectFinder()
	var err error
	sp.Stats, err = usage.Each(usage.Options{Mode: c.Mode, Sources: srcs, Cache: cache, Warnf: c.Warnf}, func(r usage.Counted) {
		slug := of(r)
		p := sp.Projects[slug]
		if p == nil {
			p = &ProjectSpend{}
			sp.Projects[slug] = p
		}
		day := r.Time.In(loc).Format(time.DateOnly)
		p.All.Count(r)
		if day[:7] == month {
			p.Month.Count(r)
			sp.Month.Count(r)
		}
		if day == today {
			p.Today.Count(r)
			sp.Today.Count(r)
		}
		if sp.Days[day] == nil {
			sp.Days[day] = map[string]float64{}
		}
		sp.Days[day][slug] += r.Cost
	})
	return sp, err
}

// projectFinder names the project of a request: the registered project
// (of the machine it was made on) whose folder holds its working folder
// (the deepest), else the project of the session its conversation's
// pointer names; "" for none.
func (c Config) projectFinder() func(r usage.Counted) string {
	local := registry(c.Store)
	others := map[string]func(string) string{}
	for _, m := range c.Others {
		others[m.Name] = registry(m.Store)
	}
	byConversation := map[string]string{}
	return func(r usage.Counted) string {
		cid := r.Conversation
		if r.Machine != "" {
			if of := others[r.Machine]; of != nil {
				return of(r.Cwd)
			}
			return ""
		}
		if slug := local(r.Cwd); slug != "" {
			return slug
		}
		slug, ok := byConversation[cid]
		if !ok {
			slug = ""
			if id := c.Store.Derived().Pointed(cid); id != "" {
				if s, err := c.Store.View().Session(id); err == nil {
					slug = s.ProjectSlug
				}
			}
			byConversation[cid] = slug
		}
		return slug
	}
}

// writtenSince are the sources written to since t: a transcript last
// written before holds no request after (copies of a request included:
// a copy is written after its original).
func writtenSince(srcs []usage.Source, t time.Time) []usage.Source {
	var out []usage.Source
	for _, s := range srcs {
		if !s.ModTime.Before(t) {
			out = append(out, s)
		}
	}
	return out
}

// MonthStart is the start of now's month in loc, a day early: the
// earliest a transcript this month's spend is in may have been written.
func MonthStart(now time.Time, loc *time.Location) time.Time {
	n := now.In(loc)
	return time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc).Add(-24 * time.Hour)
}

// registry names the registered project of st whose folder holds a
// working folder (the deepest), "" for none. The registry is read at the
// first request: a command that finds none (the overview, most days)
// reads config.json once, and warns of a corrupt one once.
func registry(st *store.Store) func(cwd string) string {
	type reg struct{ slug, path string }
	var regs []reg
	read := false
	return func(cwd string) string {
		if !read {
			read = true
			for _, p := range st.View().Config().Projects {
				if p.Path != "" {
					regs = append(regs, reg{p.Slug, filepath.Clean(p.Path)})
				}
			}
			sort.Slice(regs, func(i, j int) bool { return len(regs[i].path) > len(regs[j].path) })
		}
		if cwd == "" {
			return ""
		}
		cwd = filepath.Clean(cwd)
		for _, r := range regs {
			if cwd == r.path || strings.HasPrefix(cwd, r.path+string(filepath.Separator)) {
				return r.slug
			}
		}
		return ""
	}
}
