package server

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/internal/search"
	"github.com/sess-dev/sess/pkg/session"
)

// GET /api/search finds sessions as `sess-manage search` does, by the same
// call of internal/search, so that the page's search box and the command
// line agree: the same sessions for the same words (every word if some
// session has them all, else any), best first in the same order, each with
// the same snippet. What the page adds is its tabs and pages: the hits are
// counted per tab, those of the tab asked for are kept, and one page of
// them is answered. It is bounded: a page of at most maxLimit sessions, a
// query of at most maxQuery characters.

// maxQuery is the longest search text, in characters.
const maxQuery = 200

// searchMatch says why a session was found: the field that matched best,
// the words around the match there (the command line's snippet), and the
// session's score.
type searchMatch struct {
	Field string  `json:"field"`
	Text  string  `json:"text"`
	Score float64 `json:"score"`
}

// searchQuery answers GET /api/search?q=&project=&status=&offset=&limit=
// with a page of the sessions found, as /api/sessions does, each with its
// match.
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
	// The search folds case, so the key does too.
	return "search?q=" + url.QueryEscape(strings.ToLower(text)) + "&" + p.key(), func() (any, error) {
		return s.search(s.journal(), text, p)
	}, nil
}

// search is a page of the sessions the search indexes find for text, in
// the command line's order, each with its snippet. Every hit is asked for
// without snippets, since the tab's counts need them all; only the page's
// sessions are read, for their rows and snippets. Another machine's part
// is searched with an index of its own, as `sess-manage search` searches
// it (replica.Journal.Search): kept in this store's folder, never in the
// part. The hits are ranked together, this machine's first of equal
// scores.
func (s *Server) search(j *replica.Journal, text string, p listParams) (*sessionPage, error) {
	var hits []foundHit
	for i, src := range sourcesOf(j) {
		ix := search.Open(src.st, s.log)
		defer ix.Close() // after the snippets, which read the results
		res, err := ix.Search(search.Query{Text: text, Project: p.project, Limit: math.MaxInt32, NoSnippets: true})
		if err != nil {
			if i == 0 {
				return nil, err
			}
			continue // another machine's part that cannot be searched: warned of
		}
		for _, h := range res.Hits {
			hits = append(hits, foundHit{h, res, src})
		}
	}
	slices.SortStableFunc(hits, func(a, b foundHit) int { return cmp.Compare(b.Score, a.Score) })
	cat, err := s.catalog(j)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]*catalogEntry, len(cat))
	for i := range cat {
		byKey[cat[i].src.key(cat[i].ref.ID)] = &cat[i]
	}
	now := s.st.View().Now()
	page := &sessionPage{Sessions: []sessionSummary{}, Offset: p.offset, Limit: p.limit}
	for _, h := range hits {
		e := byKey[h.src.key(h.SessionID)]
		if e == nil {
			continue // gone since it was indexed
		}
		page.Counts.add(e.status, e.stale, e.ref.Archived)
		if !p.status.matches(e.status, e.stale) {
			continue
		}
		if page.Total >= p.offset && page.Total < p.offset+p.limit {
			sess, err := e.read()
			if err == nil {
				stale := session.IsStale(sess.Status, sess.LastHeartbeat, now, e.src.threshold)
				sum := summarize(sess, stale, e.ref.Archived)
				sum.Match = &searchMatch{Field: matchLabels[h.Field], Text: h.res.Snippet(sess, h.Hit), Score: h.Score}
				page.Sessions = append(page.Sessions, sum)
			}
		}
		page.Total++
	}
	return page, nil
}

// foundHit is a hit of one machine's index, with the result that makes its
// snippet.
type foundHit struct {
	search.Hit
	res *search.Result
	src *source
}

// matchLabels name the search index's fields as a match names them.
var matchLabels = map[string]string{
	"intent": "intent", "outcome": "outcome", "decisions": "decision", "next_steps": "next step",
	"open_questions": "open question", "tasks": "task", "commits": "commit", "activity": "activity",
	"events": "event", "files": "file", "highlights": "conversation", "session": "session",
}
