package index

import (
	"bytes"
	"hash/crc32"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
)

// Live is a live session as the index lists it.
type Live struct {
	ID string
	// Digest is a hash of the session's entry as the index holds it (never
	// 0). A tool that writes a session writes its entry too, and every
	// write of the original but one changes it (the last heartbeat, at
	// least): update-session of the current activity or the roadmap
	// reference alone.
	Digest uint64
	// Open says a tool may still be working on the session: it is active,
	// or its last heartbeat is within a day (the caller's since), or the
	// entry does not say.
	Open bool
}

// Lives lists the index's live sessions (Live) from its entries as
// written, without decoding them; since is as LiveOf's. Keys that are no
// session ids are left out; the ids are copies.
func Lives(data []byte, since string) ([]Live, error) {
	members, err := Members(data)
	if err != nil {
		return nil, err
	}
	out := make([]Live, 0, len(members))
	for _, m := range members {
		if session.ValidateSessionID(m.ID) == nil {
			out = append(out, LiveOf(strings.Clone(m.ID), m.Entry, since))
		}
	}
	return out, nil
}

var (
	castagnoli                  = crc32.MakeTable(crc32.Castagnoli)
	statusField, heartbeatField = FieldOf("status"), FieldOf("last_heartbeat")
)

// LiveOf is the Live of an entry as written; since is the time (UTC, to
// the second, as stored times begin) from which a last heartbeat makes a
// parked or completed session open.
func LiveOf(id string, entry []byte, since string) Live {
	// Two CRCs of other polynomials, each computed by the CPU: a hash of
	// 64 bits for the megabytes an index holds, at memory speed.
	digest := uint64(crc32.Checksum(entry, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(entry))
	e := Live{ID: id, Digest: max(digest, 1), Open: true}
	status, ok := Peek(entry, statusField)
	if !ok || string(status) != string(session.StatusCompleted) && string(status) != string(session.StatusParked) {
		return e
	}
	// A stored time in UTC sorts as text; another zone's is taken as open.
	hb, ok := PeekLast(entry, heartbeatField)
	if ok && len(hb) >= len(since) && (bytes.HasSuffix(hb, []byte("+00:00")) || bytes.HasSuffix(hb, []byte("Z"))) {
		e.Open = string(hb[:len(since)]) >= since
	}
	return e
}
