package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/sess-dev/sess/internal/search"
	"github.com/sess-dev/sess/pkg/session"
)

// GET /api/search finds sessions by what they are about, every session of
// the store, the archived ones included: ranked by the search index
// (internal/search: stems, prefixes, synonyms), best first. A text the
// index finds nothing for (a session id, a path, a piece of a word) is
// looked for as a case-insensitive substring instead, newest session
// first. It is bounded: a page of at most maxLimit sessions in the answer,
// a query of at most maxQuery characters, and the scan stops when the page
// that asked goes away.

// maxQuery is the longest search text, in characters.
const maxQuery = 200

// searchMatch says where a session matched: the field and a piece of its
// text around the match.
type searchMatch struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

// searchQuery answers GET /api/search?q=&project=&status=&offset=&limit=
// with a page of the sessions that match, as /api/sessions does, each with
// its match.
func (s *Server) searchQuery(r *http.Request) (string, func() (any, error), error) {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("q"))
	switch {
	case text == "":
		return "", nil, session.Invalid("q", "is empty: give the text to look for")
	case !utf8.ValidString(text):
		return "", nil, session.Invalid("q", "is not UTF-8")
	case utf8.RuneCountInString(text) > maxQuery:
		return "", nil, session.Invalid("q", "is longer than %d characters", maxQuery)
	}
	p, err := parseListParams(q)
	if err != nil {
		return "", nil, err
	}
	needle := strings.ToLower(text)
	ctx := r.Context()
	return "search?q=" + url.QueryEscape(needle) + "&" + p.key(), func() (any, error) {
		page, err := s.ranked(text, p)
		if err != nil || page.Total > 0 || page.Counts != (statusCounts{}) {
			return page, err
		}
		return s.search(ctx, needle, p)
	}, nil
}

// ranked is a page of the sessions the search index finds for text, best
// first, each with its snippet.
func (s *Server) ranked(text string, p listParams) (*sessionPage, error) {
	res, err := search.Open(s.st, s.log).Search(search.Query{Text: text, Project: p.project, Limit: math.MaxInt32, AllWords: true, NoSnippets: true})
	if err != nil {
		return nil, err
	}
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*catalogEntry, len(cat))
	for i := range cat {
		byID[cat[i].ref.ID] = &cat[i]
	}
	threshold := s.st.Config().Settings.StaleThresholdHours
	page := &sessionPage{Sessions: []sessionSummary{}, Offset: p.offset, Limit: p.limit}
	for _, h := range res.Hits {
		e := byID[h.SessionID]
		if e == nil {
			continue // gone since it was indexed
		}
		page.Counts.add(e.status, e.stale, e.ref.Archived)
		if !p.status.matches(e.status, e.stale) {
			continue
		}
		if page.Total >= p.offset && page.Total < p.offset+p.limit {
			sess, err := s.st.ReadStored(e.ref)
			if err == nil {
				stale := session.IsStale(sess.Status, sess.LastHeartbeat, s.st.Now(), threshold)
				sum := summarize(sess, stale, e.ref.Archived)
				// The text as typed, where it is there; else the words the
				// index matched (another form, a synonym, a prefix).
				sum.Match = match(sess, strings.ToLower(text))
				if sum.Match == nil {
					sum.Match = &searchMatch{Field: matchLabels[h.Field], Text: search.Snippet(sess, s.st.Highlights(sess.SessionID), h, text)}
				}
				page.Sessions = append(page.Sessions, sum)
			}
		}
		page.Total++
	}
	return page, nil
}

func (s *Server) search(ctx context.Context, needle string, p listParams) (*sessionPage, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	threshold := s.st.Config().Settings.StaleThresholdHours
	now := s.st.Now()
	page := &sessionPage{Sessions: []sessionSummary{}, Offset: p.offset, Limit: p.limit}
	for i, e := range cat {
		if p.project != "" && e.project != p.project {
			continue
		}
		if i%64 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("search: %w", ctx.Err())
		}
		sess, err := s.st.ReadStored(e.ref)
		if err != nil {
			continue // the catalog or the page that lists it says why
		}
		m := match(sess, needle)
		if m == nil {
			continue
		}
		stale := session.IsStale(sess.Status, sess.LastHeartbeat, now, threshold)
		page.Counts.add(sess.Status, stale, e.ref.Archived)
		if !p.status.matches(sess.Status, stale) {
			continue
		}
		if page.Total >= p.offset && page.Total < p.offset+p.limit {
			sum := summarize(sess, stale, e.ref.Archived)
			sum.Match = m
			page.Sessions = append(page.Sessions, sum)
		}
		page.Total++
	}
	return page, nil
}

// matchLabels name the search index's fields as a match names them.
var matchLabels = map[string]string{
	"intent": "intent", "outcome": "outcome", "decisions": "decision", "next_steps": "next step",
	"open_questions": "open question", "tasks": "task", "commits": "commit", "activity": "activity",
	"events": "event", "files": "file", "highlights": "conversation", "session": "session",
}

// match finds needle (lower case) in the texts of sess, in the order a
// person reads them: what it is about, where it stands, then its record,
// newest event first.
func match(sess *session.Session, needle string) *searchMatch {
	try := func(field, text string) *searchMatch {
		if i := indexFold(text, needle); i >= 0 {
			return &searchMatch{Field: field, Text: snippet(text, i, len(needle))}
		}
		return nil
	}
	for _, f := range []struct {
		field string
		text  string
	}{
		{"intent", sess.Intent},
		{"activity", session.Deref(sess.CurrentActivity)},
		{"awaiting", session.Deref(sess.AwaitingAction)},
		{"parked because", session.Deref(sess.ParkedReason)},
		{"outcome", session.Deref(sess.Outcome)},
		{"branch", sess.GitBranch},
	} {
		if m := try(f.field, f.text); m != nil {
			return m
		}
	}
	for i := len(sess.Events) - 1; i >= 0; i-- {
		if m := try("event", sess.Events[i].Message); m != nil {
			return m
		}
	}
	for _, t := range sess.Tasks {
		if m := try("task", t.Subject); m != nil {
			return m
		}
	}
	for _, l := range []struct {
		field string
		items []string
	}{
		{"decision", sess.Decisions},
		{"next step", sess.NextSteps},
		{"open question", sess.OpenQuestions},
		{"file", sess.FilesChanged},
	} {
		for _, it := range l.items {
			if m := try(l.field, it); m != nil {
				return m
			}
		}
	}
	for _, c := range sess.Commits {
		if m := try("commit", c.Message); m != nil {
			return m
		}
	}
	return try("session", sess.SessionID)
}

// indexFold is the byte offset of needle (lower case) in text, ignoring
// case, or -1. When lower-casing changes the text's length (a few non-ASCII
// letters), the offset is not known and 0 stands for it.
func indexFold(text, needle string) int {
	lower := strings.ToLower(text)
	i := strings.Index(lower, needle)
	if i > 0 && len(lower) != len(text) {
		return 0
	}
	return i
}

// snippetContext is how many bytes a match's piece of text keeps on either
// side.
const snippetContext = 60

// snippet is text around [at, at+n) on one line, cut at rune boundaries,
// with an ellipsis where it was cut.
func snippet(text string, at, n int) string {
	start := max(at-snippetContext, 0)
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	end := min(at+n+snippetContext, len(text))
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	out := strings.Join(strings.Fields(text[start:end]), " ")
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}
