package hookconf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Result is a settings file after a merge or a removal.
type Result struct {
	Settings []byte // the new file: two-space indents, a final newline
	Changed  bool   // whether it means anything else than before
	Removed  int    // sess commands taken out (a merge puts its own back)
	// Warnings name commands left as they were because they run sess's
	// program together with something else (`sess-heartbeat; backup.sh`):
	// taking them out would take the user's part too.
	Warnings []string
}

// ErrAmbiguous: the settings hold "hooks" more than once at the top.
// Claude Code reads the last copy; which one another tool meant is not
// known, so sess edits neither.
var ErrAmbiguous = errors.New(`"hooks" is given more than once`)

// Merge puts groups into a settings file (nil or blank: an empty one) and
// keeps everything else: other settings, other tools' hooks, their order.
// sess's commands already there, from this or an earlier install, are
// taken out first, and the new groups take the place of the first group
// that held one, so that merging twice changes nothing.
func Merge(settings []byte, groups map[string][]Group) (Result, error) {
	return edit(settings, groups)
}

// Remove takes sess's commands out of a settings file, and groups and
// events left empty by that; nothing else.
func Remove(settings []byte) (Result, error) {
	return edit(settings, nil)
}

func edit(settings []byte, groups map[string][]Group) (Result, error) {
	var res Result
	top, err := parseObject(settings)
	if err != nil {
		return res, fmt.Errorf("settings: %w", err)
	}
	if n := top.count("hooks"); n > 1 {
		return res, fmt.Errorf("settings: %w (%d times; Claude Code reads only the last): merge them into one by hand", ErrAmbiguous, n)
	}
	var hooks object
	if raw, ok := top.get("hooks"); ok && !isNull(raw) {
		if hooks, err = parseObject(raw); err != nil {
			return res, fmt.Errorf("settings: hooks: %w", err)
		}
	}
	// Each member is edited on its own: a key given twice (which Claude
	// Code reads as its last) keeps its other copy. Ours go into the last
	// copy of their event, or a new member at the end.
	last := map[string]int{}
	for i, m := range hooks {
		last[m.key] = i
	}
	for _, e := range Events() {
		if _, ok := last[e]; !ok && groups != nil {
			hooks = append(hooks, member{e, nil})
			last[e] = len(hooks) - 1
		}
	}
	keep := hooks[:0:0]
	for i, m := range hooks {
		var ours []Group
		if last[m.key] == i {
			ours = groups[m.key]
		}
		list, removed, warnings, err := editEvent(m.key, m.value, ours)
		switch {
		case err != nil && ours == nil:
			keep = append(keep, m) // another tool's, in a shape this one does not read
			continue
		case err != nil:
			return res, fmt.Errorf("settings: hooks.%s: %w", m.key, err)
		}
		res.Removed += removed
		res.Warnings = append(res.Warnings, warnings...)
		switch {
		case removed == 0 && ours == nil:
			keep = append(keep, m) // not ours: as it was, even if empty
		case len(list) > 0:
			keep = append(keep, member{m.key, encodeList(list)})
		}
	}
	hooks = keep
	if len(hooks) == 0 && res.Removed > 0 && groups == nil {
		top.del("hooks")
	} else if len(hooks) > 0 {
		top.set("hooks", hooks.encode())
	}
	out := top.encode()
	var b bytes.Buffer
	if err := json.Indent(&b, out, "", "  "); err != nil {
		return res, fmt.Errorf("settings: %w", err)
	}
	b.WriteByte('\n')
	res.Settings = b.Bytes()
	res.Changed = !sameJSON(settings, out)
	return res, nil
}

// editEvent takes sess's commands out of an event's list of groups and
// puts ours where the first of them was (or at the end).
func editEvent(event string, raw json.RawMessage, ours []Group) ([]json.RawMessage, int, []string, error) {
	var list []json.RawMessage
	if len(raw) > 0 && !isNull(raw) {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, 0, nil, errors.New("not a list")
		}
	}
	out := make([]json.RawMessage, 0, len(list)+len(ours))
	at, removed := -1, 0
	var warnings []string
	for _, g := range list {
		kept, n, mixed := stripGroup(g)
		for _, c := range mixed {
			warnings = append(warnings, fmt.Sprintf("hooks.%s: %q runs sess's program together with another command: left as it is; edit it by hand", event, c))
		}
		removed += n
		if n > 0 && at < 0 {
			at = len(out)
			if kept != nil {
				at++ // after the group that keeps another tool's commands
			}
		}
		if kept != nil {
			out = append(out, kept)
		}
	}
	if len(ours) == 0 {
		return out, removed, warnings, nil
	}
	if at < 0 {
		at = len(out)
	}
	add := make([]json.RawMessage, len(ours))
	for i, g := range ours {
		add[i] = marshal(g)
	}
	return slices.Insert(out, at, add...), removed, warnings, nil
}

// stripGroup takes sess's commands out of a group: the group as it was
// (n 0), without them, or nil when none are left; and the commands it
// left because they are sess's only in part.
func stripGroup(g json.RawMessage) (json.RawMessage, int, []string) {
	obj, err := parseObject(g)
	if err != nil {
		return g, 0, nil // not a group this tool can read: another's
	}
	raw, ok := obj.get("hooks")
	var handlers []json.RawMessage
	if !ok || json.Unmarshal(raw, &handlers) != nil {
		return g, 0, nil
	}
	kept := handlers[:0:0]
	var mixed []string
	for _, h := range handlers {
		var cmd struct {
			Command string `json:"command"`
		}
		if json.Unmarshal(h, &cmd) == nil {
			switch classify(cmd.Command) {
			case sessOnly:
				continue
			case sessAndOther:
				mixed = append(mixed, cmd.Command)
			}
		}
		kept = append(kept, h)
	}
	n := len(handlers) - len(kept)
	switch {
	case n == 0:
		return g, 0, mixed
	case len(kept) == 0:
		return nil, n, mixed
	}
	obj.set("hooks", encodeList(kept))
	return obj.encode(), n, mixed
}

func encodeList(list []json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, v := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(v)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// sameJSON reports whether two JSON texts are the same but for spacing (a
// blank text counts as {}).
func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if len(bytes.TrimSpace(a)) == 0 {
		a = []byte("{}")
	}
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// object is a JSON object with its members in their order.
type object []member

type member struct {
	key   string
	value json.RawMessage
}

var errNotObject = errors.New("not a JSON object")

// parseObject reads a JSON object, keeping its members' order; blank is
// an empty object.
func parseObject(data []byte) (object, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return object{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errNotObject
	}
	obj := object{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		obj = append(obj, member{tok.(string), v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("more than one JSON value")
	}
	return obj, nil
}

func (o object) get(key string) (json.RawMessage, bool) {
	for _, m := range o {
		if m.key == key {
			return m.value, true
		}
	}
	return nil, false
}

func (o object) count(key string) int {
	n := 0
	for _, m := range o {
		if m.key == key {
			n++
		}
	}
	return n
}

func (o *object) set(key string, v json.RawMessage) {
	for i, m := range *o {
		if m.key == key {
			(*o)[i].value = v
			return
		}
	}
	*o = append(*o, member{key, v})
}

func (o *object) del(key string) {
	*o = slices.DeleteFunc(*o, func(m member) bool { return m.key == key })
}

// encode writes the object compactly (members' values as they are).
func (o object) encode() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshal(m.key))
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}
