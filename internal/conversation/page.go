package conversation

import (
	"fmt"
	"io"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

// Bounds of a page.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Page is a window of a conversation's entries.
type Page struct {
	SessionID      string         `json:"session_id"`
	ConversationID string         `json:"conversation_id"`
	Source         string         `json:"source"` // SourceLive or SourceArchive
	Entries        []export.Entry `json:"entries"`
	Offset         int            `json:"offset"`
	Next           *int           `json:"next"`            // the offset of the next page; nil at the end
	Total          *int           `json:"total"`           // how many entries; nil until a page reaches the end
	Found          *int           `json:"found,omitempty"` // the entry a find= found (the page starts there); nil for none
}

// Cursor streams the entries of a conversation with their marks.
type Cursor struct {
	es      *entries
	p       *placer
	cur     *entry // read, its marks not yet all placed
	n       int    // entries handed out
	started bool
}

// NewCursor reads the entries of the transcript r, placing the marks of
// sess on them.
func NewCursor(r io.Reader, sess *session.Session) *Cursor {
	return &Cursor{es: newEntries(r), p: newPlacer(marksOf(sess))}
}

// Next is the next entry, finished (redacted, bounded) when finish is
// set; false at the end.
func (c *Cursor) next(finish bool) (export.Entry, bool, error) {
	if !c.started {
		c.started = true
		c.cur, _ = c.es.next()
	}
	if c.cur == nil {
		return export.Entry{}, false, c.es.err()
	}
	e := c.cur
	c.cur, _ = c.es.next()
	c.p.place(e, c.cur)
	c.n++
	if !finish {
		return export.Entry{}, true, nil
	}
	return e.finish(), true, nil
}

// Next is the next entry; false at the end, with the error that ended the
// read if any.
func (c *Cursor) Next() (export.Entry, bool, error) { return c.next(true) }

// ReadPage reads the page of limit entries from offset of the
// transcript r: the entries before it are read through, unredacted, and
// the reading stops at the entry after the page.
func ReadPage(r io.Reader, sess *session.Session, offset, limit int) (Page, error) {
	if offset < 0 || limit < 1 || limit > MaxLimit {
		return Page{}, session.Invalid("limit", "offset must be 0 or more and limit between 1 and %d", MaxLimit)
	}
	c := NewCursor(r, sess)
	pg := Page{SessionID: sess.SessionID, ConversationID: session.Deref(sess.ClaudeSessionID), Offset: offset, Entries: []export.Entry{}}
	for i := 0; i < offset; i++ {
		if _, ok, err := c.next(false); !ok {
			if err != nil {
				return Page{}, fmt.Errorf("read conversation: %w", err)
			}
			total := c.n
			pg.Total = &total
			return pg, nil
		}
	}
	for len(pg.Entries) < limit {
		e, ok, err := c.Next()
		if err != nil {
			return Page{}, fmt.Errorf("read conversation: %w", err)
		}
		if !ok {
			break
		}
		pg.Entries = append(pg.Entries, e)
	}
	if c.peek() {
		next := offset + len(pg.Entries)
		pg.Next = &next
	} else {
		total := c.n
		pg.Total = &total
	}
	return pg, nil
}

// peek says whether an entry follows.
func (c *Cursor) peek() bool {
	if !c.started {
		c.started = true
		c.cur, _ = c.es.next()
	}
	return c.cur != nil
}
