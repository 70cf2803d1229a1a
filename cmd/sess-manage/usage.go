package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/cost"
	"github.com/sess-dev/sess/internal/usage"
)

// usageFlags are the usage command's flags, ccusage's where it has them.
type usageFlags struct {
	since, until, project, timezone, mode, order, startOfWeek, from string
	json, breakdown, instances, active, recent                      bool
	sessionLength                                                   int
}

func (f *usageFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.since, "since", "", "from this day on (YYYYMMDD or YYYY-MM-DD)")
	fs.StringVar(&f.until, "until", "", "up to this day (YYYYMMDD or YYYY-MM-DD)")
	fs.StringVar(&f.project, "project", "", "only this project folder of Claude Code's (as ccusage's --project)")
	fs.StringVar(&f.timezone, "timezone", "", "the time zone days are of (default the system's)")
	fs.StringVar(&f.mode, "mode", "auto", "cost: auto (the row's costUSD, else the price table), calculate, display (costUSD only)")
	fs.StringVar(&f.order, "order", "asc", "asc (oldest first) or desc")
	fs.StringVar(&f.startOfWeek, "start-of-week", "sunday", "weekly: the day a week starts")
	fs.StringVar(&f.from, "from", "", "read the transcripts under this projects folder (default CLAUDE_CONFIG_DIR's, else ~/.config/claude's and ~/.claude's)")
	fs.BoolVar(&f.json, "json", false, "JSON, in ccusage's shape")
	fs.BoolVar(&f.breakdown, "breakdown", false, "a row per model under each row")
	fs.BoolVar(&f.instances, "instances", false, "daily, weekly, monthly: a row per project folder")
	fs.BoolVar(&f.active, "active", false, "blocks: only the active block")
	fs.BoolVar(&f.recent, "recent", false, "blocks: only those of the last 3 days, and the active one")
	fs.IntVar(&f.sessionLength, "session-length", 5, "blocks: their length in hours")
}

// filter reads the flags that choose and date requests.
func (f *usageFlags) filter() (usage.Filter, error) {
	var flt usage.Filter
	var err error
	if flt.Since, err = usageDay("since", f.since); err != nil {
		return flt, err
	}
	if flt.Until, err = usageDay("until", f.until); err != nil {
		return flt, err
	}
	flt.Loc = time.Local
	if f.timezone != "" {
		if flt.Loc, err = time.LoadLocation(f.timezone); err != nil {
			return flt, cli.Usagef("--timezone %q: not a time zone (say UTC, Europe/Amsterdam)", f.timezone)
		}
	}
	switch f.order {
	case "asc", "desc":
		flt.Desc = f.order == "desc"
	default:
		return flt, cli.Usagef("--order %q: asc or desc", f.order)
	}
	day, ok := weekdays[strings.ToLower(f.startOfWeek)]
	if !ok {
		return flt, cli.Usagef("--start-of-week %q: a day of the week, as sunday", f.startOfWeek)
	}
	flt.WeekStart, flt.Folder, flt.ByFolder = day, f.project, f.instances
	return flt, nil
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

// usageDay reads a --since or --until day as YYYYMMDD.
func usageDay(flag, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	d := strings.ReplaceAll(v, "-", "")
	if _, err := time.Parse("20060102", d); err != nil || len(d) != 8 {
		return "", cli.Usagef("--%s %q: a day as YYYYMMDD or YYYY-MM-DD", flag, v)
	}
	return d, nil
}

func (a *app) usage() *ffcli.Command {
	var f usageFlags
	return a.command(spec{
		name: "usage", usage: "daily|weekly|monthly|session|blocks|thread ID|project SLUG [--since DAY] [--until DAY] [--project FOLDER] [--timezone TZ] [--mode auto] [--breakdown] [--json]",
		args: []string{"report", "id"}, optionalArgs: 1,
		help: "what Claude Code's conversations used and cost, offline: per day, week, month, conversation or 5-hour block (ccusage's reports and JSON), per sess thread or project",
		long: "Reads the transcripts ccusage reads (CLAUDE_CONFIG_DIR, else ~/.config/claude and\n" +
			"~/.claude) and the conversations only sess's archive still holds, and counts\n" +
			"each request once. Prices come from a table built into sess (LiteLLM's); a model\n" +
			"it has no price for is counted in tokens and named on stderr, never guessed.\n" +
			"--json prints ccusage 18's JSON for the same report.",
		flags: f.register,
		run: func(ctx context.Context, args []string) (any, error) {
			// A first report reads every transcript: far more than it keeps.
			defer cli.LongRunning()()
			switch args[0] {
			case "thread", "project":
				if len(args) < 2 {
					return nil, cli.Usagef("usage %s needs its %s", args[0], map[string]string{"thread": "session id", "project": "project slug"}[args[0]])
				}
				mode, err := usage.ParseMode(f.mode)
				if err != nil {
					return nil, cli.Usagef("--%v", err)
				}
				if args[0] == "thread" {
					return a.threadCost(args[1], a.costConfig(mode, f.from))
				}
				return a.projectCost(args[1], a.costConfig(mode, f.from), &f)
			}
			if len(args) > 1 {
				return nil, cli.Usagef("unexpected argument %q", args[1])
			}
			return a.usageReport(args[0], &f)
		},
	})
}

func (a *app) usageReport(report string, f *usageFlags) (any, error) {
	flt, err := f.filter()
	if err != nil {
		return nil, err
	}
	mode, err := usage.ParseMode(f.mode)
	if err != nil {
		return nil, cli.Usagef("--%v", err)
	}
	var add func(usage.Counted)
	var show func() (any, string)
	now := a.store().View().Now()
	switch report {
	case "daily", "weekly", "monthly":
		days := usage.NewDays(flt)
		add = days.Add
		show = func() (any, string) { return periodsOut(report, days, flt, f) }
	case "session":
		cs := usage.NewConversations(flt)
		add = cs.Add
		show = func() (any, string) { return cs.JSON(), conversationsTable(cs, f.breakdown) }
	case "blocks":
		bs := usage.NewBlocks(flt, time.Duration(f.sessionLength)*time.Hour)
		add = bs.Add
		show = func() (any, string) { return blocksOut(bs, now, f) }
	default:
		return nil, cli.Usagef("unknown report %q: daily, weekly, monthly, session or blocks", report)
	}
	cc := a.costConfig(mode, f.from)
	opt := usage.Options{Mode: mode, Warnf: a.warnf}
	opt.Sources, opt.Cache = cc.Sources()
	stats, err := usage.Each(opt, add)
	if err != nil {
		return nil, err
	}
	a.noteUnpriced(stats)
	v, text := show()
	if !f.json {
		return raw(text), nil
	}
	b, err := usage.Encode(v)
	return raw(b), err
}

// costConfig is where costs are read from: Claude Code's projects
// folders (from, when given), in mode.
func (a *app) costConfig(mode usage.Mode, from string) cost.Config {
	roots := usage.ProjectRoots(a.getenv)
	if from != "" {
		roots = []string{from}
	}
	c := cost.Config{Store: a.store(), Roots: roots, Mode: mode, Warnf: a.warnf}
	for _, m := range a.journal().Others {
		c.Others = append(c.Others, cost.Machine{Name: m.Name, Store: m.Store, Usage: m.UsageDir()})
	}
	return c
}

func (a *app) warnf(format string, args ...any) {
	fmt.Fprintf(a.stderr, "sess: warning: "+format+"\n", args...)
}

// noteUnpriced names on stderr the models counted without a price.
func (a *app) noteUnpriced(st usage.Stats) {
	for _, model := range slices.Sorted(maps.Keys(st.Unpriced)) {
		tokens := st.Unpriced[model]
		a.warnf("usage: no price for model %q: its %s tokens are counted, their cost is not", model, usage.Count(tokens))
	}
}

// periodsOut is a daily, weekly or monthly report.
func periodsOut(report string, days *usage.Days, flt usage.Filter, f *usageFlags) (any, string) {
	ps := usage.PeriodsOf(report, days)
	v := usage.ReportJSON(report, ps, flt)
	label := map[string]string{"daily": "Date", "weekly": "Week", "monthly": "Month"}[report]
	t := usage.Table{Head: usage.TallyHead(label)}
	var total usage.Tally
	for _, p := range ps {
		name := p.Key
		if p.Folder != "" && flt.ByFolder {
			name += "  " + p.Folder
		}
		t.TallyRow(name, &p.Tally, f.breakdown)
		total.Merge(&p.Tally)
	}
	t.TotalRow(&total)
	return v, t.String()
}

func conversationsTable(cs *usage.Conversations, breakdown bool) string {
	t := usage.Table{Head: append(usage.TallyHead("Conversation"), "Last", "Project folder")}
	var total usage.Tally
	for _, c := range cs.List() {
		t.TallyRow(c.ID, &c.Tally, breakdown, c.Last.Local().Format(time.DateOnly), c.Folder)
		total.Merge(&c.Tally)
	}
	t.TotalRow(&total)
	return t.String()
}

// blocksOut is the blocks report.
func blocksOut(bs *usage.Blocks, now time.Time, f *usageFlags) (any, string) {
	list := bs.List(now)
	if f.recent {
		var keep []*usage.Block
		for _, b := range list {
			if !b.Start.Before(now.Add(-3*24*time.Hour)) || b.Active {
				keep = append(keep, b)
			}
		}
		list = keep
	}
	if f.active {
		var keep []*usage.Block
		for _, b := range list {
			if b.Active {
				keep = append(keep, b)
			}
		}
		list = keep
		if len(list) == 0 {
			return json.RawMessage(`{"blocks":[],"message":"No active block"}`), "No active block.\n"
		}
	}
	if len(list) == 0 {
		return json.RawMessage(`{"blocks":[]}`), "No usage found.\n"
	}
	t := usage.Table{Head: []string{"Block start", "Models", "Requests", "Tokens", "Cost (USD)", "Status"}}
	for _, b := range list {
		if b.Gap {
			t.Row(b.Start.Local().Format("2006-01-02 15:04"), "(no requests for "+b.End.Sub(b.Start).Round(time.Minute).String()+")", "", "", "", "gap")
			continue
		}
		status := "ended " + b.LastEntry.Local().Format("15:04")
		if b.Active {
			status = "active, " + b.End.Sub(now).Round(time.Minute).String() + " left"
			if p := b.Project(now); p != nil {
				status += fmt.Sprintf(", heading for %s", usage.Dollars(p.TotalCost))
			}
		}
		t.Row(b.Start.Local().Format("2006-01-02 15:04"), strings.Join(b.Models, ", "), usage.Count(int64(b.Entries)), usage.Count(b.Tokens()), usage.Dollars(b.Cost), status)
	}
	return usage.BlocksJSON(list, now), t.String()
}
