package conversation

import (
	"fmt"
	"io"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Read is a page of the conversation of session id (see ReadPage), from
// its live transcript under projects, else the archive (see Locate).
func Read(st *store.Store, projects, id string, offset, limit int) (Page, error) {
	sess, src, err := open(st, projects, id)
	if err != nil {
		return Page{}, err
	}
	r, err := src.Open()
	if err != nil {
		return Page{}, err
	}
	defer r.Close()
	pg, err := ReadPage(r, sess, offset, limit)
	pg.Source = src.Kind
	return pg, err
}

// Export writes the whole conversation of session id to w as Markdown
// (export.WriteConversation), streaming.
func Export(st *store.Store, projects, id string, w io.Writer) error {
	sess, src, err := open(st, projects, id)
	if err != nil {
		return err
	}
	r, err := src.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	h := export.ConversationHead{SessionID: sess.SessionID, ConversationID: session.Deref(sess.ClaudeSessionID),
		Intent: sess.Intent, Project: sess.ProjectSlug, Source: src.Kind}
	return export.WriteConversation(w, h, NewCursor(r, sess).Next)
}

func open(st *store.Store, projects, id string) (*session.Session, Source, error) {
	if err := session.ValidateSessionID(id); err != nil {
		return nil, Source{}, err
	}
	sess, err := st.View().Session(id)
	if err != nil {
		return nil, Source{}, fmt.Errorf("read session %s: %w", id, err)
	}
	src, err := Locate(st, projects, sess)
	return sess, src, err
}
