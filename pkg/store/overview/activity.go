package overview

import (
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Activity is work per project per day: sessions started and hours worked
// (each session from its start to its end, or to its last heartbeat while
// open, split over the days it spans), for the last Days days, UTC.
type Activity struct {
	Days     []string          `json:"days"` // YYYY-MM-DD, oldest first
	Projects []ProjectActivity `json:"projects"`
}

// ProjectActivity is one project's line of an Activity.
type ProjectActivity struct {
	Slug     string    `json:"slug"`
	Sessions []int     `json:"sessions"`
	Hours    []float64 `json:"hours"`
}

// ActivityOf sums up the last days days from the index alone.
func ActivityOf(v *store.View, days int) (*Activity, error) {
	if days < 1 || days > 366 {
		return nil, session.Invalid("days", "must be between 1 and 366 (got %d)", days)
	}
	idx, err := v.Entries()
	if err != nil {
		return nil, err
	}
	now := v.Now().UTC()
	first := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(days - 1))
	a := &Activity{Days: make([]string, days), Projects: []ProjectActivity{}}
	for i := range a.Days {
		a.Days[i] = first.AddDate(0, 0, i).Format("2006-01-02")
	}
	byProject := map[string]*ProjectActivity{}
	line := func(slug string) *ProjectActivity {
		p := byProject[slug]
		if p == nil {
			p = &ProjectActivity{Slug: slug, Sessions: make([]int, days), Hours: make([]float64, days)}
			byProject[slug] = p
		}
		return p
	}
	for _, e := range idx {
		start, err := session.ParseTime(e.StartedAt)
		if err != nil {
			continue
		}
		end := start
		if t, err := session.ParseTime(session.Deref(e.EndedAt)); err == nil && e.EndedAt != nil {
			end = t
		} else if t, err := session.ParseTime(e.LastHeartbeat); err == nil {
			end = t
		}
		if end.After(now) {
			end = now
		}
		if end.Before(first) {
			continue
		}
		p := line(e.ProjectSlug)
		if d := int(start.Sub(first).Hours() / 24); !start.Before(first) && d < days {
			p.Sessions[d]++
		}
		for t := maxTime(start, first); t.Before(end); {
			d := int(t.Sub(first).Hours() / 24)
			if d >= days {
				break
			}
			dayEnd := first.AddDate(0, 0, d+1)
			stop := end
			if dayEnd.Before(stop) {
				stop = dayEnd
			}
			p.Hours[d] += stop.Sub(t).Hours()
			t = stop
		}
	}
	for _, p := range byProject {
		for i, h := range p.Hours {
			p.Hours[i] = float64(int(h*100+0.5)) / 100
		}
		a.Projects = append(a.Projects, *p)
	}
	slices.SortFunc(a.Projects, func(x, y ProjectActivity) int { return strings.Compare(x.Slug, y.Slug) })
	return a, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// ReadActivity is the activity of st's last days days, in a View of its
// own (GET /api/activity).
func ReadActivity(st *store.Store, days int) (*Activity, error) {
	return ActivityOf(st.View(), days)
}
