package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	par "github.com/sess-dev/sess/pkg/store/internal/parallel"
)

// DecodeSession decodes a session file's bytes, migrating schema 1 to 3, and
// checks what the store relies on: the id and slug are valid (they become
// paths), the status is known, and every field has its type. The record it
// returns is normalized: lists are never nil and SchemaVersion is zero.
func DecodeSession(data []byte) (*session.Session, error) {
	if fast, ok := decodeSessionFast(data); ok {
		return checkSession(fast)
	}
	var sess session.Session
	if err := json.Unmarshal(data, &sess); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, fmt.Errorf("invalid JSON at byte %d: %w", syn.Offset, ErrCorrupt)
		case errors.As(err, &typ):
			if typ.Field == "" {
				return nil, fmt.Errorf("not a session object: %w", ErrCorrupt)
			}
			return nil, fmt.Errorf("field %s has the wrong type: %w", typ.Field, ErrCorrupt)
		default:
			return nil, fmt.Errorf("invalid JSON: %v: %w", err, ErrCorrupt)
		}
	}
	return checkSession(&sess)
}

// checkSession checks what the store relies on and normalizes the record.
func checkSession(sess *session.Session) (*session.Session, error) {
	if session.ValidateSessionID(sess.SessionID) != nil {
		return nil, fmt.Errorf("invalid or missing session_id: %w", ErrCorrupt)
	}
	if session.ValidateSlug(sess.ProjectSlug) != nil {
		return nil, fmt.Errorf("invalid or missing project_slug: %w", ErrCorrupt)
	}
	if !sess.Status.Valid() {
		return nil, fmt.Errorf("invalid status %q: %w", session.Clip(string(sess.Status)), ErrCorrupt)
	}
	// Schema 1 lacked tasks, 2 worktree_root, 3 claude_session_id: the zero
	// values of the struct are their defaults, and normalize fills the lists.
	sess.Normalize()
	return sess, nil
}

// encodeSessionFile encodes a session as its file: schema_version last.
func encodeSessionFile(sess *session.Session) ([]byte, error) {
	c := *sess
	c.Normalize()
	c.SchemaVersion = session.SchemaVersion
	c.Machine = nil // set by a reader of another machine's part, never stored
	return marshal(&c)
}

// readSessionFile reads and decodes one session file. An unusable file is
// an error wrapping ErrCorrupt that names the file.
func (s *Store) readSessionFile(path string) (*session.Session, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return decodeSessionFile(path, data)
}

// decodeSessionFile decodes the bytes of the session file at path.
func decodeSessionFile(path string, data []byte) (*session.Session, error) {
	sess, err := DecodeSession(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if want := strings.TrimSuffix(filepath.Base(path), ".json"); sess.SessionID != want {
		return nil, fmt.Errorf("%s: holds session %s: %w", filepath.Base(path), sess.SessionID, ErrCorrupt)
	}
	return sess, nil
}

// readSessions reads the given sessions on every core, in the order of ids,
// leaving out (with one warning each) those it cannot read. A file that has
// gone since the index named it is left out silently: a concurrent archive.
func (s *Store) readSessions(ids []string, path func(string) string) []*session.Session {
	out := make([]*session.Session, len(ids))
	read := func(i int) {
		sess, err := s.readSessionFile(path(ids[i]))
		if err != nil {
			if !isNotExist(err) {
				s.warnf("skipping session file %v", err)
			}
			return
		}
		out[i] = sess
	}
	parallel(len(ids), read)
	n := 0
	for _, sess := range out {
		if sess != nil {
			out[n] = sess
			n++
		}
	}
	return out[:n]
}

// parallel calls fn(0) to fn(n-1) on every core (see internal/parallel).
func parallel(n int, fn func(i int)) { par.Do(n, fn) }

// decodeSessionFast decodes a session file with the fast reader, by the
// session's field table (internal/codec); ok false means: decode it with
// encoding/json instead.
func decodeSessionFast(data []byte) (*session.Session, bool) { return codec.ReadSession(data) }
