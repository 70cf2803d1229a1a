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
}

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
		list, removed, err := editEvent(m.value, ours)
		switch {
		case err != nil && ours == nil:
			keep = append(keep, m) // another tool's, in a shape this one does not read
			continue
		case err != nil:
			return res, fmt.Errorf("settings: hooks.%s: %w", m.key, err)
		}
		res.Removed += removed
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
func editEvent(raw json.RawMessage, ours []Group) ([]json.RawMessage, int, error) {
	var list []json.RawMessage
	if len(raw) > 0 && !isNull(raw) {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, 0, errors.New("not a list")
		}
	}
	out := make([]json.RawMessage, 0, len(list)+len(ours))
	at, removed := -1, 0
	for _, g := range list {
		kept, n := stripGroup(g)
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
		return out, removed, nil
	}
	if at < 0 {
		at = len(out)
	}
	add := make([]json.RawMessage, len(ours))
	for i, g := range ours {
		add[i] = marshal(g)
	}
	return slices.Insert(out, at, add...), removed, nil
}

// stripGroup takes sess's commands out of a group: the group as it was
// (n 0), without them, or nil when none are left.
func stripGroup(g json.RawMessage) (json.RawMessage, int) {
	obj, err := parseObject(g)
	if err != nil {
		return g, 0 // not a group this tool can read: another's
	}
	raw, ok := obj.get("hooks")
	var handlers []json.RawMessage
	if !ok || json.Unmarshal(raw, &handlers) != nil {
		return g, 0
	}
	kept := handlers[:0:0]
	for _, h := range handlers {
		var cmd struct {
			Command string `json:"command"`
		}
		if json.Unmarshal(h, &cmd) == nil && Ours(cmd.Command) {
			continue
		}
		kept = append(kept, h)
	}
	n := len(handlers) - len(kept)
	switch {
	case n == 0:
		return g, 0
	case len(kept) == 0:
		return nil, n
	}
	obj.set("hooks", encodeList(kept))
	return obj.encode(), n
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
