package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/julienschmidt/httprouter"

	"github.com/sess-dev/sess/internal/conversation"
	"github.com/sess-dev/sess/pkg/session"
)

// maxFind bounds a find= of a conversation's page (a search's query).
const maxFind = 1000

// The conversation of a session (GET /api/session/:id/conversation), page
// by page, and its Markdown export (GET /api/export/conversation/:id).
// Neither is cached: a transcript changes without the store knowing, and
// a page is asked for once.

// conversationQuery answers a page of a session's conversation:
// ?offset= (0) and ?limit= (conversation.DefaultLimit, at most MaxLimit);
// ?find=<words> starts the page at the first entry that says them (a
// search hit in the conversation opens there), else at offset.
func (s *Server) conversationQuery(r *http.Request) (string, func() (any, error), error) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	q := r.URL.Query()
	offset, err := intParam(q, "offset", 0, 0, 1<<30)
	if err != nil {
		return "", nil, err
	}
	limit, err := intParam(q, "limit", conversation.DefaultLimit, 1, conversation.MaxLimit)
	if err != nil {
		return "", nil, err
	}
	find := q.Get("find")
	if len(find) > maxFind {
		return "", nil, session.Invalid("find", "at most %d bytes", maxFind)
	}
	return "", func() (any, error) {
		pg, err := conversation.ReadFind(s.st, s.transcripts, id, find, offset, limit)
		return pg, s.elsewhere(id, err)
	}, nil
}

// elsewhere turns the "no such session" of a conversation into "it is
// another machine's" when another machine's part has the session: its
// transcript is on that machine, which publishes no transcript.
func (s *Server) elsewhere(id string, err error) error {
	var se *session.Error
	if err == nil || !errors.As(err, &se) || se.Code != session.CodeNotFound {
		return err
	}
	if m := s.journal().Owner(id); m != nil {
		return &session.Error{Code: session.CodeNotFound,
			Message: fmt.Sprintf("session %s is machine %q's: its conversation is on that machine", id, m.Name)}
	}
	return err
}

// exportConversation sends the whole conversation as a Markdown
// attachment. It is written to a temporary file while a render slot is
// held, and sent once the slot is let go of: a slow or stalled download
// must not hold one of the few slots every answer needs, and the file
// keeps the server's memory flat whatever the conversation's size. What
// cannot be found is the JSON error every answer gives.
func (s *Server) exportConversation(w http.ResponseWriter, r *http.Request) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	f, sid, err := s.renderConversation(r.Context(), id, r.Method == http.MethodHead)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	if f != nil {
		defer os.Remove(f.Name())
		defer f.Close()
	}
	h := w.Header()
	h.Set("Content-Type", markdownType)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+sid+`-conversation.md"`)
	if f == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	// A client that stops reading is let go of, not waited on for ever.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTimeout))
	if _, err := io.Copy(w, f); err != nil {
		fmt.Fprintf(s.log, "sess-serve: export conversation %s: %v\n", id, err)
	}
}

// exportWriteTimeout bounds how long a conversation's export may take to
// send.
const exportWriteTimeout = 5 * time.Minute

// renderConversation writes conversation id's Markdown to a temporary file
// (rewound, to be removed by the caller) under a render slot; headOnly
// only checks that it is there (nil file). It returns the session's id.
func (s *Server) renderConversation(ctx context.Context, id string, headOnly bool) (*os.File, string, error) {
	select {
	case s.renders <- struct{}{}:
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	defer func() { <-s.renders }()
	pg, err := conversation.Read(s.st, s.transcripts, id, 0, 1)
	if err != nil || headOnly {
		return nil, pg.SessionID, s.elsewhere(id, err)
	}
	f, err := os.CreateTemp("", "sess-conversation-*.md")
	if err != nil {
		return nil, "", err
	}
	if err = conversation.Export(s.st, s.transcripts, id, f); err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, "", err
	}
	return f, pg.SessionID, nil
}
