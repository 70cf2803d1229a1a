package conversation

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// Where a conversation is read from.
const (
	SourceLive    = "live"    // Claude Code's transcript, redacted as it is read
	SourceArchive = "archive" // the store's transcript archive, redacted when archived
)

// Source is where a session's conversation can be read.
type Source struct {
	Kind string
	open func() (io.ReadCloser, error)
}

// Open opens the conversation's JSONL.
func (s Source) Open() (io.ReadCloser, error) { return s.open() }

// Locate finds the conversation of sess: its live transcript under
// projects (Claude Code's ~/.claude/projects; "" for none) when Claude
// Code still has it, else the store's archive. A session with no
// conversation, or one found nowhere, is a not-found error.
func Locate(st *store.Store, projects string, sess *session.Session) (Source, error) {
	cid := session.Deref(sess.ClaudeSessionID)
	if cid == "" {
		return Source{}, notFound(sess.SessionID, "has no Claude Code conversation")
	}
	if projects != "" {
		var project string
		if p, ok := st.View().Config().Project(sess.ProjectSlug); ok {
			project = p.Path
		}
		if path := transcript.Find(projects, cid, session.Deref(sess.WorktreeRoot), project); path != "" {
			return Source{Kind: SourceLive, open: func() (io.ReadCloser, error) { return openRegular(path) }}, nil
		}
	}
	arc := transcripts.Of(st)
	if arc.Archived(cid) {
		return Source{Kind: SourceArchive, open: func() (io.ReadCloser, error) { return arc.Open(cid) }}, nil
	}
	return Source{}, notFound(sess.SessionID, "has no transcript: Claude Code no longer has it and the archive holds none")
}

func notFound(id, why string) error {
	return &session.Error{Code: session.CodeNotFound, Message: fmt.Sprintf("conversation of session %s: %s", id, why)}
}

// openRegular opens a transcript for reading if it is a regular file,
// never blocking on a FIFO; one gone since it was found is not found.
func openRegular(path string) (io.ReadCloser, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &session.Error{Code: session.CodeNotFound, Message: "the transcript is gone", Err: err}
		}
		return nil, fmt.Errorf("open transcript: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open transcript: %w", err)
	}
	return f, nil
}
