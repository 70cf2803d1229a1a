package usage

import (
	"sort"
	"time"

	"github.com/sess-dev/sess/pkg/store/jsonout"
)

// Filter is what a report takes of the requests, and how it dates them.
type Filter struct {
	Loc          *time.Location // days are this zone's (ccusage --timezone)
	Since, Until string         // YYYYMMDD, inclusive; "" for no bound
	Desc         bool           // newest first (ccusage --order desc)
	Folder       string         // only this project folder (ccusage --project)
	ByFolder     bool           // a row per day and project folder (ccusage --instances)
	WeekStart    time.Weekday   // the first day of a week (ccusage --start-of-week)
}

func (f Filter) loc() *time.Location {
	if f.Loc == nil {
		return time.Local
	}
	return f.Loc
}

// inRange holds a YYYY-MM-DD date to Since and Until.
func (f Filter) inRange(date string) bool {
	d := date[:4] + date[5:7] + date[8:10]
	return (f.Since == "" || d >= f.Since) && (f.Until == "" || d <= f.Until)
}

// Period is a day's, week's or month's tally (of one project folder when
// the report is by folder).
type Period struct {
	Key    string // YYYY-MM-DD, the week's first day, or YYYY-MM
	Folder string // "" unless by folder
	Tally
}

// Days sums counted requests per day.
type Days struct {
	f     Filter
	index map[[2]string]*Period
	list  []*Period
}

// NewDays is an empty daily tally.
func NewDays(f Filter) *Days { return &Days{f: f, index: map[[2]string]*Period{}} }

// Add counts a request on its day.
func (d *Days) Add(c Counted) {
	if d.f.Folder != "" && c.Folder != d.f.Folder {
		return
	}
	k := [2]string{dateIn(c.Time, d.f.loc()), ""}
	if d.f.ByFolder || d.f.Folder != "" {
		k[1] = c.Folder
	}
	p := d.index[k]
	if p == nil {
		p = &Period{Key: k[0], Folder: k[1]}
		d.index[k] = p
		d.list = append(d.list, p)
	}
	p.Add(c.Entry, c.Cost)
}

// Periods are the days in range, in date order (stable among folders of a
// day: first counted first).
func (d *Days) Periods() []*Period {
	var out []*Period
	for _, p := range d.list {
		if d.f.inRange(p.Key) {
			out = append(out, p)
		}
	}
	sortPeriods(out, d.f.Desc)
	return out
}

func sortPeriods(ps []*Period, desc bool) {
	sort.SliceStable(ps, func(i, j int) bool {
		if desc {
			return ps[i].Key > ps[j].Key
		}
		return ps[i].Key < ps[j].Key
	})
}

// Buckets groups days into weeks or months as ccusage does: from the
// days in range, each day's tally merged into its bucket in day order.
func Buckets(days []*Period, byFolder bool, bucketOf func(date string) string, desc bool) []*Period {
	index := map[[2]string]*Period{}
	var out []*Period
	for _, d := range days {
		k := [2]string{bucketOf(d.Key), ""}
		if byFolder {
			k[1] = d.Folder
		}
		p := index[k]
		if p == nil {
			p = &Period{Key: k[0], Folder: k[1]}
			index[k] = p
			out = append(out, p)
		}
		p.Merge(&d.Tally)
	}
	sortPeriods(out, desc)
	return out
}

// MonthOf is a date's month.
func MonthOf(date string) string { return date[:7] }

// WeekOf is the first day of a date's week, the week starting on start.
func WeekOf(start time.Weekday) func(date string) string {
	return func(date string) string {
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return date
		}
		shift := (int(t.Weekday()) - int(start) + 7) % 7
		return t.AddDate(0, 0, -shift).Format(time.DateOnly)
	}
}

// Encode writes v as ccusage does: two-space indents, nothing escaped for
// HTML, a newline at the end (which is how every sess tool prints JSON).
func Encode(v any) ([]byte, error) { return jsonout.Marshal(v) }
