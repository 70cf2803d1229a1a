package replica

import (
	"io"
	"slices"

	"github.com/sess-dev/sess/internal/search"
)

// Hit is a session a search found, and the machine it is of ("" for this
// one).
type Hit struct {
	search.Hit
	Machine string
}

// Found is what a search of every machine found.
type Found struct {
	Hits     []Hit
	Total    int // sessions that match, before Limit and Offset
	Indexed  int // sessions searched
	Projects int // projects they belong to, each machine's counted apart
}

// Search searches every machine's sessions: each machine's part with an
// index of its own (kept in this store's folder, never in the part), the
// hits ranked together. Another machine's part that cannot be searched is
// passed over with a warning.
func (j *Journal) Search(q search.Query, warn io.Writer) (*Found, error) {
	per := q
	per.Limit, per.Offset = q.Limit+q.Offset, 0
	res, err := search.Open(j.Local, warn).Search(per)
	if err != nil {
		return nil, err
	}
	f := &Found{Total: res.Total, Indexed: res.Indexed, Projects: res.Projects}
	for _, h := range res.Hits {
		f.Hits = append(f.Hits, Hit{Hit: h})
	}
	for _, m := range j.Others {
		ix := search.Open(m.Store, warn)
		theirs, err := ix.Search(per)
		ix.Close()
		if err != nil {
			continue
		}
		f.Total += theirs.Total
		f.Indexed += theirs.Indexed
		f.Projects += theirs.Projects
		for _, h := range theirs.Hits {
			f.Hits = append(f.Hits, Hit{Hit: h, Machine: m.Name})
		}
	}
	slices.SortStableFunc(f.Hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	f.Hits = f.Hits[min(q.Offset, len(f.Hits)):]
	if len(f.Hits) > q.Limit {
		f.Hits = f.Hits[:q.Limit]
	}
	return f, nil
}
