package store

import "github.com/sess-dev/sess/pkg/session"

// decodeSessionFast decodes a session file with the fast reader, by the
// session's field table (codec.go); ok false means: decode it with
// encoding/json instead.
func decodeSessionFast(data []byte) (*session.Session, bool) {
	r := &jsonReader{data: data}
	var s session.Session
	if !sessionRecord.read(r, &s) || !r.end() {
		return nil, false
	}
	return &s, true
}
