package usage

import (
	"encoding/json"
	"errors"
)

// row is the part of a transcript line ccusage checks. A field it checks
// must have its type when present: a row whose field is null or of another
// type does not count (ccusage's schema rejects it), so each keeps whether
// it was there.
type row struct {
	Cwd               optString `json:"cwd"`
	SessionID         optString `json:"sessionId"`
	Timestamp         optString `json:"timestamp"`
	Version           optString `json:"version"`
	Message           *message  `json:"message"`
	CostUSD           optNumber `json:"costUSD"`
	RequestID         optString `json:"requestId"`
	IsAPIErrorMessage optBool   `json:"isApiErrorMessage"`
}

type message struct {
	Usage   *usageJSON      `json:"usage"`
	Model   optString       `json:"model"`
	ID      optString       `json:"id"`
	Content json.RawMessage `json:"content"`
}

type usageJSON struct {
	Input         optNumber `json:"input_tokens"`
	Output        optNumber `json:"output_tokens"`
	CacheCreation optNumber `json:"cache_creation_input_tokens"`
	CacheRead     optNumber `json:"cache_read_input_tokens"`
	Speed         optString `json:"speed"`
	Split         *struct {
		OneHour float64 `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
}

// valid holds a decoded row to ccusage's schema.
func (r *row) valid() bool {
	if r.Message == nil || r.Message.Usage == nil || !isTimestamp(r.Timestamp) {
		return false
	}
	u, m := r.Message.Usage, r.Message
	switch {
	case !u.Input.present() || !u.Output.present():
		return false
	case u.CacheCreation.null || u.CacheRead.null || r.CostUSD.null || r.IsAPIErrorMessage.null:
		return false
	case u.Speed.set && u.Speed.v != "standard" && u.Speed.v != "fast":
		return false
	case r.Cwd.null, r.SessionID.set && r.SessionID.v == "", r.RequestID.set && r.RequestID.v == "",
		m.Model.set && m.Model.v == "", m.ID.set && m.ID.v == "":
		return false
	case r.Version.set && !isVersion(r.Version.v):
		return false
	}
	return contentValid(m.Content)
}

// contentValid: message.content, when there, is an array (a string
// content, a user's prompt, does not count).
func contentValid(c json.RawMessage) bool {
	return len(c) == 0 || c[0] == '['
}

// isTimestamp is ccusage's ISO form: YYYY-MM-DDTHH:MM:SS, then .mmm or
// nothing, then Z.
func isTimestamp(t optString) bool {
	s := t.v
	if t.null || !t.set || (len(s) != 20 && len(s) != 24) || s[len(s)-1] != 'Z' {
		return false
	}
	const form = "dddd-dd-ddTdd:dd:dd.dddZ"
	for i := 0; i < len(s)-1; i++ {
		if f := form[i]; (f == 'd' && (s[i] < '0' || s[i] > '9')) || (f != 'd' && s[i] != f) {
			return false
		}
	}
	return true
}

// isVersion: digits.digits.digits at the start.
func isVersion(s string) bool {
	parts := 0
	i := 0
	for parts < 3 {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
		parts++
		if parts < 3 {
			if i >= len(s) || s[i] != '.' {
				return false
			}
			i++
		}
	}
	return true
}

var errType = errors.New("usage: a field of another type")

// optString is a string field that may be absent (set false) or null.
type optString struct {
	set, null bool
	v         string
}

func (o *optString) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	if len(b) == 0 || b[0] != '"' {
		return errType
	}
	return json.Unmarshal(b, &o.v)
}

func (o optString) present() bool { return o.set && !o.null }

type optNumber struct {
	set, null bool
	v         float64
}

func (o *optNumber) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	return json.Unmarshal(b, &o.v)
}

func (o optNumber) present() bool { return o.set && !o.null }

type optBool struct {
	set, null bool
	v         bool
}

func (o *optBool) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	return json.Unmarshal(b, &o.v)
}
