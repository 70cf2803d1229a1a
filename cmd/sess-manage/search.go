package main

import (
	"context"
	"flag"
	"math"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/search"
	"github.com/sess-dev/sess/pkg/session"
)

// maxSearchLimit is the original's cap on --limit.
const maxSearchLimit = 10

func (a *app) search() *ffcli.Command {
	var project optString
	limit := optInt{n: 5}
	return a.command(spec{
		name: "search", usage: "QUERY [--project SLUG] [--limit 5]", args: []string{"query"},
		help: "find sessions by what they are about, archived ones included (ranked; stems, prefixes, synonyms)",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&project, "project", "only this project's sessions")
			fs.Var(&limit, "limit", "results (default 5, at most 10)")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			start := time.Now()
			if limit.n < 1 {
				return nil, session.Invalid("limit", "must be at least 1")
			}
			res, err := a.journal().Search(search.Query{Text: args[0], Project: project.v, Limit: min(limit.n, maxSearchLimit)}, a.stderr)
			if err != nil {
				return nil, err
			}
			out := searchOutput{Query: args[0], Results: []searchResult{}, IndexedSessions: res.Indexed, IndexedProjects: res.Projects}
			for _, h := range res.Hits {
				out.Results = append(out.Results, searchResult{h.SessionID, h.Project, h.Intent, h.Score, h.Date, h.Path, h.Snippet, h.Machine})
			}
			out.TotalResults = len(out.Results)
			out.ElapsedSeconds = math.Round(time.Since(start).Seconds()*100) / 100
			return out, nil
		},
	})
}

// searchOutput is the original's answer to search, field for field.
type searchOutput struct {
	Query           string         `json:"query"`
	Results         []searchResult `json:"results"`
	TotalResults    int            `json:"total_results"`
	IndexedSessions int            `json:"indexed_sessions"`
	IndexedProjects int            `json:"indexed_projects"`
	ElapsedSeconds  float64        `json:"elapsed_seconds"`
}

// searchResult is a session found, in the original's key order.
type searchResult struct {
	SessionID string  `json:"session_id"`
	Project   string  `json:"project"`
	Intent    string  `json:"intent"`
	Score     float64 `json:"score"`
	Date      string  `json:"date"`
	Path      string  `json:"path"`
	Snippet   string  `json:"snippet"`
	Machine   string  `json:"machine,omitempty"` // another machine's session (sess only)
}
