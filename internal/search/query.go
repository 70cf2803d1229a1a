package search

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Query is a search.
type Query struct {
	Text    string
	Project string // only this project's sessions ("" for all)
	Limit   int    // results wanted (at least 1)
	Offset  int    // results skipped, for paging
	// NoSnippets leaves Hit.Snippet empty (no session file is read): for a
	// caller that chooses and pages the hits itself and asks
	// Result.Snippet for those it shows.
	NoSnippets bool
}

// Hit is a session found.
type Hit struct {
	SessionID string
	Project   string
	Intent    string
	Score     float64
	Date      string // YYYY-MM-DD it started
	Path      string // its file
	Archived  bool
	Field     string // the field that matched best
	Snippet   string // the words around the match in that field
	field     uint8  // Field, as the index numbers it
}

// Result is what a search found.
type Result struct {
	Hits     []Hit
	Total    int // sessions that match, before Limit and Offset
	Indexed  int // sessions searched
	Projects int // projects they belong to

	// What Snippet needs to make a hit's snippet after the search.
	ix    *Index
	slots []slot
}

// Snippet is the snippet of h, a hit of r found with NoSnippets, from its
// session s (which the caller has read to show it): the same words as a
// search with snippets gives h.
func (r *Result) Snippet(s *session.Session, h Hit) string {
	if r.ix == nil || int(h.field) >= numFields {
		return ""
	}
	return r.ix.snippetOf(s, h.field, r.slots)
}

// BM25's constants.
const (
	k1 = 1.2
	b  = 0.75
)

// Weights of a query word's other terms against its own stems.
const (
	synonymWeight = 0.6
	prefixWeight  = 0.5
	maxPrefix     = 64 // terms a prefix stands for at most
)

// Search runs a query.
func (ix *Index) Search(q Query) (*Result, error) {
	v, err := ix.load()
	if err != nil {
		return nil, err
	}
	res := &Result{ix: ix}
	docs := v.docs()
	projects := map[string]bool{}
	for _, d := range docs {
		if d != nil {
			res.Indexed++
			projects[d.Project] = true
		}
	}
	res.Projects = len(projects)
	slots := v.slots(q.Text)
	res.slots = slots
	if len(slots) == 0 {
		return res, nil
	}
	scores := v.score(slots, docs, q.Project)
	// Sessions that match every word, if there are any, else those that
	// match some: a query of several words finds something whenever one
	// of them is in the store.
	all := scores[:0:0]
	for _, s := range scores {
		if s.matched == len(slots) {
			if all == nil {
				all = make([]scored, 0, len(scores))
			}
			all = append(all, s)
		}
	}
	if len(all) > 0 {
		scores = all
	}
	res.Total = len(scores)
	for i := range scores {
		scores[i].key = session.SortKey(docs[scores[i].doc].Started)
	}
	better := func(a, b *scored) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		if a.key != b.key {
			return a.key > b.key
		}
		return docs[a.doc].ID > docs[b.doc].ID
	}
	if want := q.Offset + max(q.Limit, 1); want < len(scores)/8 {
		scores = top(scores, want, better) // a page of a broad query: no full sort
	} else {
		sort.Slice(scores, func(i, j int) bool { return better(&scores[i], &scores[j]) })
	}
	if q.Offset < len(scores) {
		scores = scores[q.Offset:]
	} else {
		scores = nil
	}
	scores = scores[:min(len(scores), max(q.Limit, 1))]
	// A hit's path is the store's to say.
	for _, s := range scores {
		d := docs[s.doc]
		h := Hit{SessionID: d.ID, Project: d.Project, Intent: d.Intent, Score: math.Round(s.score*1e4) / 1e4, Date: dateOf(d.Started),
			Archived: d.Archived, Field: fieldNames[s.field], field: s.field, Path: ix.v.PathOf(store.StoredRef{ID: d.ID, Archived: d.Archived})}
		if !q.NoSnippets {
			h.Snippet = ix.snippet(d, s.field, slots)
		}
		res.Hits = append(res.Hits, h)
	}
	return res, err
}

// docs are the view's documents by key: the base's (nil where the overlay
// replaces one), then the overlay's.
func (v *view) docs() []*docInfo {
	out := make([]*docInfo, 0, len(v.base.docs)+v.overlayLen())
	for i := range v.base.docs {
		d := &v.base.docs[i]
		if v.overlay != nil && v.overlay.removed[d.ID] {
			d = nil
		}
		out = append(out, d)
	}
	if v.overlay != nil {
		for i := range v.overlay.docs {
			out = append(out, &v.overlay.docs[i])
		}
	}
	return out
}

func (v *view) overlayLen() int {
	if v.overlay == nil {
		return 0
	}
	return len(v.overlay.docs)
}

// slot is one word of the query: the terms that stand for it, weighted.
type slot map[string]float64

// slots analyzes the query: each word's stems, their synonyms, and the
// terms its stem begins (so "refact" finds "refactoring").
func (v *view) slots(text string) []slot {
	var out []slot
	seen := map[string]bool{}
	words(text, func(w string) {
		if seen[w] {
			return
		}
		seen[w] = true
		s := slot{}
		en, nl := stems(w)
		for _, t := range []string{en, nl} {
			if t == "" {
				continue
			}
			s[t] = 1
			for _, syn := range synonymsOf()[t] {
				if s[syn] < synonymWeight {
					s[syn] = synonymWeight
				}
			}
		}
		if len([]rune(w)) >= 3 {
			for _, p := range []string{w, en} {
				for _, t := range v.withPrefix(p) {
					if _, ok := s[t]; !ok {
						s[t] = prefixWeight
					}
				}
			}
		}
		out = append(out, s)
	})
	return out
}

func (v *view) withPrefix(p string) []string {
	out := v.base.withPrefix(p, maxPrefix)
	if v.overlay != nil {
		for _, t := range v.overlay.withPrefix(p, maxPrefix) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// scored is a document's score, its best field, and how many of the
// query's words it matches.
type scored struct {
	doc     int
	score   float64
	field   uint8
	matched int
	key     string // the start, for ties
}

// top is the k best of scores, best first, in one pass.
func top(scores []scored, k int, better func(a, b *scored) bool) []scored {
	out := make([]scored, 0, k+1)
	for i := range scores {
		if len(out) == k && !better(&scores[i], &out[k-1]) {
			continue
		}
		at := sort.Search(len(out), func(j int) bool { return better(&scores[i], &out[j]) })
		out = append(out, scored{})
		copy(out[at+1:], out[at:])
		out[at] = scores[i]
		if len(out) > k {
			out = out[:k]
		}
	}
	return out
}

// dateOf is the day of a stored time, YYYY-MM-DD.
func dateOf(started string) string {
	if t, err := session.ParseTime(started); err == nil {
		return t.UTC().Format("2006-01-02")
	}
	return ""
}

// score ranks the documents that match any slot (in project, if given) by
// BM25F, each slot counting its best term, and a document that matches
// more of the query's words ranking higher. Its tables are dense, by
// document key: a broad query touches most of the store.
func (v *view) score(slots []slot, docs []*docInfo, project string) []scored {
	var avg [numFields]float64
	n := 0
	for _, d := range docs {
		if d == nil {
			continue
		}
		n++
		for f, l := range d.Lens {
			avg[f] += float64(l)
		}
	}
	for f := range avg {
		avg[f] = max(avg[f]/float64(max(n, 1)), 1)
	}
	type acc struct {
		total, bestW float64
		matched      int
		field        uint8
	}
	accs := make([]acc, len(docs))
	best := make([]float64, len(docs))   // this slot's best score, by document
	touched := make([]int, 0, len(docs)) // the documents best holds a score for
	tf := &termTable{tf: make([]float64, len(docs)), field: make([]bestField, len(docs))}
	for _, s := range slots {
		touched = touched[:0]
		for term, weight := range s {
			keys := v.termFreqs(term, docs, avg, tf)
			df := len(keys)
			if df == 0 {
				continue
			}
			idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
			for _, doc := range keys {
				t := tf.tf[doc]
				f := tf.field[doc]
				tf.tf[doc], tf.field[doc] = 0, bestField{}
				if project != "" && docs[doc].Project != project {
					continue
				}
				sc := weight * idf * t / (k1 + t)
				if best[doc] == 0 {
					touched = append(touched, doc)
				}
				if sc > best[doc] {
					best[doc] = sc
				}
				if a := &accs[doc]; f.w*weight > a.bestW {
					a.field, a.bestW = f.field, f.w*weight
				}
			}
		}
		for _, doc := range touched {
			accs[doc].total += best[doc]
			accs[doc].matched++
			best[doc] = 0
		}
	}
	hits := 0
	for doc := range accs {
		if accs[doc].matched > 0 {
			hits++
		}
	}
	out := make([]scored, 0, hits)
	for doc := range accs {
		if a := &accs[doc]; a.matched > 0 {
			cover := float64(a.matched) / float64(len(slots))
			out = append(out, scored{doc: doc, score: a.total * (0.5 + 0.5*cover), field: a.field, matched: a.matched})
		}
	}
	return out
}

// bestField is a document's field that weighs most for a term, and how
// much.
type bestField struct {
	field uint8
	w     float64
}

// termTable holds a term's BM25F pseudo-frequency and best field by
// document key; a caller clears what it read.
type termTable struct {
	tf    []float64
	field []bestField
	keys  []int // the last term's documents (termFreqs), kept for the next
}

// termFreqs fills t with a term's BM25F pseudo-frequency in each document
// that holds it, and returns those documents' keys.
func (v *view) termFreqs(term string, docs []*docInfo, avg [numFields]float64, t *termTable) []int {
	keys := t.keys[:0]
	defer func() { t.keys = keys }()
	add := func(key int, p posting) {
		if key >= len(docs) || docs[key] == nil || int(p.Field) >= numFields {
			return
		}
		d := docs[key]
		w := fieldWeights[p.Field] * float64(p.TF) / (1 - b + b*float64(d.Lens[p.Field])/avg[p.Field])
		if t.tf[key] == 0 {
			keys = append(keys, key)
		}
		t.tf[key] += w
		if w > t.field[key].w {
			t.field[key] = bestField{p.Field, w}
		}
	}
	if i := v.base.find(term); i < v.base.nTerms() && v.base.term(i) == term {
		v.base.postings(i, func(p posting) { add(int(p.Doc), p) })
	}
	if v.overlay != nil {
		off := len(v.base.docs)
		if i := v.overlay.find(term); i < v.overlay.nTerms() && v.overlay.term(i) == term {
			v.overlay.postings(i, func(p posting) { add(off+int(p.Doc), p) })
		}
	}
	return keys
}

// snippet is the words around the first match in the field that matched
// best, read from the session's file; "" if it cannot be read.
func (ix *Index) snippet(d *docInfo, field uint8, slots []slot) string {
	s, err := ix.v.Session(d.ID)
	if err != nil || int(field) >= numFields {
		return ""
	}
	return ix.snippetOf(s, field, slots)
}

// snippetOf is the words around the first match of slots in a field of s.
// Every snippet is made here, so that a caller who pages the hits itself
// (Result.Snippet) shows the words the command line shows: the slots are
// the search's own, prefixes expanded by the index.
func (ix *Index) snippetOf(s *session.Session, field uint8, slots []slot) string {
	fields := fieldsOf(s)
	if field == fieldHighlights || field == fieldConversation {
		withDerived(&fields, ix.files, s)
	}
	text := strings.Join(strings.Fields(fields[field]), " ")
	return window(text, slots, 12, 28)
}

// window cuts text to before words before its first word that matches a
// slot and after words from it.
func window(text string, slots []slot, before, after int) string {
	ws := strings.Fields(text)
	at := -1
	for i, w := range ws {
		words(w, func(x string) {
			if at >= 0 {
				return
			}
			en, nl := stems(x)
			for _, s := range slots {
				if _, ok := s[en]; ok {
					at = i
				} else if _, ok := s[nl]; ok && nl != "" {
					at = i
				}
			}
		})
		if at >= 0 {
			break
		}
	}
	if at < 0 {
		at = 0
	}
	start, end := max(at-before, 0), min(at+after, len(ws))
	out := strings.Join(ws[start:end], " ")
	if start > 0 {
		out = "…" + out
	}
	if end < len(ws) {
		out += "…"
	}
	return out
}
