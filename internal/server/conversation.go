package server

import (
	"fmt"
	"net/http"

	"github.com/julienschmidt/httprouter"

	"github.com/sess-dev/sess/internal/conversation"
)

// The conversation of a session (GET /api/session/:id/conversation), page
// by page, and its Markdown export (GET /api/export/conversation/:id).
// Neither is cached: a transcript changes without the store knowing, and
// a page is asked for once.

// conversationQuery answers a page of a session's conversation:
// ?offset= (0) and ?limit= (conversation.DefaultLimit, at most MaxLimit).
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
	return "", func() (any, error) {
		return conversation.Read(s.st, s.transcripts, id, offset, limit)
	}, nil
}

// exportConversation streams the whole conversation as a Markdown
// attachment, holding a render slot while it writes. What cannot be found
// is the JSON error every answer gives; a failure once the document has
// begun ends it short (the status is sent).
func (s *Server) exportConversation(w http.ResponseWriter, r *http.Request) {
	id := httprouter.ParamsFromContext(r.Context()).ByName("id")
	select {
	case s.renders <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	defer func() { <-s.renders }()
	pg, err := conversation.Read(s.st, s.transcripts, id, 0, 1)
	if err != nil {
		writeStoreError(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", markdownType)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+pg.SessionID+`-conversation.md"`)
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := conversation.Export(s.st, s.transcripts, id, w); err != nil {
		fmt.Fprintf(s.log, "sess-serve: export conversation %s: %v\n", id, err)
	}
}
