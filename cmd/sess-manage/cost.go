package main

import (
	"sort"
	"time"

	"github.com/sess-dev/sess/internal/cost"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/jsonout"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// threadCostOut is what a thread cost: each session's part and the sum.
type threadCostOut struct {
	Thread string `json:"thread"`
	*cost.ThreadCost
}

// threadCost is what the sessions of id's thread cost.
func (a *app) threadCost(id string, cc cost.Config) (any, error) {
	thread, err := journal.Thread(a.store(), id)
	if err != nil {
		return nil, err
	}
	return a.costOfThread(id, thread, cc)
}

// threadCostOf is what a thread cost, for the thread's and brief's output;
// nil when its conversations used nothing (their output is then the one
// they had before).
func (a *app) threadCostOf(id string, thread []*session.Session) *threadCostOut {
	out, err := a.costOfThread(id, thread, a.costConfig(usage.Auto, ""))
	if err != nil {
		a.warnf("the cost of the thread of %s: %v", id, err)
		return nil
	}
	if out.Total.TotalTokens == 0 && out.Total.USD == 0 {
		return nil
	}
	return out
}

func (a *app) costOfThread(id string, thread []*session.Session, cc cost.Config) (*threadCostOut, error) {
	tc, err := cost.Thread(cc, thread)
	if err != nil {
		return nil, err
	}
	return &threadCostOut{Thread: id, ThreadCost: tc}, nil
}

// projectCostOut is what a project cost: today, this month, in all, and
// per day.
type projectCostOut struct {
	Project string        `json:"project"`
	Today   *cost.Summary `json:"today"`
	Month   *cost.Summary `json:"month"`
	All     *cost.Summary `json:"all"`
	Days    []dayCost     `json:"days"`
}

type dayCost struct {
	Date string  `json:"date"`
	USD  float64 `json:"usd"`
}

func (a *app) projectCost(slug string, cc cost.Config, f *usageFlags) (any, error) {
	if !a.projectKnown(slug) {
		return nil, &session.Error{Code: session.CodeNotFound, Message: "project " + slug + " is neither registered nor has sessions"}
	}
	flt, err := f.filter()
	if err != nil {
		return nil, err
	}
	sp, err := cost.Projects(cc, flt.Loc, a.store().View().Now(), time.Time{})
	if err != nil {
		return nil, err
	}
	p := sp.Projects[slug]
	if p == nil {
		p = &cost.ProjectSpend{}
	}
	out := projectCostOut{Project: slug, Today: cost.Summarize(&p.Today), Month: cost.Summarize(&p.Month), All: cost.Summarize(&p.All), Days: []dayCost{}}
	for day, bySlug := range sp.Days {
		if usd, ok := bySlug[slug]; ok && inDays(day, flt) {
			out.Days = append(out.Days, dayCost{day, cost.Round(usd)})
		}
	}
	sort.Slice(out.Days, func(i, j int) bool { return out.Days[i].Date < out.Days[j].Date })
	return out, nil
}

func inDays(date string, f usage.Filter) bool {
	d := date[:4] + date[5:7] + date[8:10]
	return (f.Since == "" || d >= f.Since) && (f.Until == "" || d <= f.Until)
}

// withCost is a session's JSON, the original's, with what it cost after
// its fields when its conversation used anything.
func (a *app) withCost(s *session.Session) (any, error) {
	costs, err := cost.Sessions(a.costConfig(usage.Auto, ""), []*session.Session{s})
	if err != nil {
		a.warnf("the cost of %s: %v", s.SessionID, err)
	}
	t := costs[s.SessionID]
	if t == nil {
		return s, nil
	}
	b, err := jsonout.Marshal(s)
	if err != nil {
		return nil, err
	}
	b, err = jsonout.AppendMember(b, "cost", cost.Summarize(t))
	return raw(b), err
}

// projectKnown reports whether slug is a project: registered, or one
// sessions were recorded in (a hook's project needs no registration).
func (a *app) projectKnown(slug string) bool {
	v := a.store().View()
	if _, ok := v.Config().Project(slug); ok {
		return true
	}
	idx, err := v.Entries()
	if err != nil {
		return false
	}
	for _, e := range idx {
		if e.ProjectSlug == slug {
			return true
		}
	}
	return false
}

// spendOut is today's and this month's spend, in all and per project (the
// costliest this month first), as the overview adds it.
type spendOut struct {
	Today    *cost.Summary    `json:"today"`
	Month    *cost.Summary    `json:"month"`
	Projects []projectSpendIn `json:"projects"`
}

type projectSpendIn struct {
	Project  string  `json:"project"` // "" for requests of no project sess knows
	TodayUSD float64 `json:"today_usd"`
	MonthUSD float64 `json:"month_usd"`
}

// withSpend is the overview's JSON with this month's spend after the
// original's fields; the overview alone when nothing was spent.
func (a *app) withSpend(ov *overview.Overview) (any, error) {
	now := a.store().View().Now()
	sp, err := cost.Projects(a.costConfig(usage.Auto, ""), time.Local, now, cost.MonthStart(now, time.Local))
	if err != nil {
		a.warnf("this month's spend: %v", err)
		return ov, nil
	}
	if sp.Month.Tokens() == 0 && sp.Month.Cost == 0 {
		return ov, nil
	}
	out := spendOut{Today: cost.Summarize(&sp.Today), Month: cost.Summarize(&sp.Month), Projects: []projectSpendIn{}}
	for slug, p := range sp.Projects {
		if p.Month.Tokens() > 0 || p.Month.Cost > 0 {
			out.Projects = append(out.Projects, projectSpendIn{slug, cost.Round(p.Today.Cost), cost.Round(p.Month.Cost)})
		}
	}
	sort.Slice(out.Projects, func(i, j int) bool {
		if out.Projects[i].MonthUSD != out.Projects[j].MonthUSD {
			return out.Projects[i].MonthUSD > out.Projects[j].MonthUSD
		}
		return out.Projects[i].Project < out.Projects[j].Project
	})
	b, err := jsonout.Marshal(ov)
	if err != nil {
		return nil, err
	}
	b, err = jsonout.AppendMember(b, "spend", out)
	return raw(b), err
}
