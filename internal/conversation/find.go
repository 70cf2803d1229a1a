package conversation

import (
	"fmt"
	"io"
	"strings"

	"github.com/sess-dev/sess/pkg/store"
)

// maxFindWords bounds the words a find looks for.
const maxFindWords = 16

// ReadFind is Read from the first entry whose text holds the words of
// find (see Find), with Page.Found set to it; when none does, or find has
// no words, it is Read from offset.
func ReadFind(st *store.Store, projects, id, find string, offset, limit int) (Page, error) {
	words := findWords(find)
	if len(words) == 0 {
		return Read(st, projects, id, offset, limit)
	}
	_, src, err := open(st, projects, id)
	if err != nil {
		return Page{}, err
	}
	r, err := src.Open()
	if err != nil {
		return Page{}, err
	}
	at, err := Find(r, words)
	r.Close()
	if err != nil {
		return Page{}, err
	}
	if at < 0 {
		return Read(st, projects, id, offset, limit)
	}
	pg, err := Read(st, projects, id, at, limit)
	if err == nil {
		pg.Found = &at
	}
	return pg, err
}

// Find is the index of the first entry of the transcript r whose text
// holds every one of words (lower case), else of the first that holds
// any; -1 when none does. Entries are compared as read, before
// redaction: a word the search found in the redacted text is there too.
func Find(r io.Reader, words []string) (int, error) {
	es := newEntries(r)
	anyAt := -1
	for i := 0; ; i++ {
		e, ok := es.next()
		if !ok {
			break
		}
		if e.Text == "" {
			continue
		}
		text := strings.ToLower(e.Text)
		n := 0
		for _, w := range words {
			if strings.Contains(text, w) {
				n++
			}
		}
		if n == len(words) {
			return i, nil
		}
		if n > 0 && anyAt < 0 {
			anyAt = i
		}
	}
	if err := es.err(); err != nil {
		return -1, fmt.Errorf("find in conversation: %w", err)
	}
	return anyAt, nil
}

// findWords are the words of a search's query, lower case: its filters
// (project:web) and excluded words (-draft) left out, quotes taken off.
func findWords(query string) []string {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(query)) {
		w = strings.Trim(w, `"'()`)
		if w == "" || strings.HasPrefix(w, "-") || strings.Contains(w, ":") {
			continue
		}
		if words = append(words, w); len(words) == maxFindWords {
			break
		}
	}
	return words
}
