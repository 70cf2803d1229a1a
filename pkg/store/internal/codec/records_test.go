package codec

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

// TestRecordsMatchStructs holds each record's table to its struct's JSON
// tags, in both directions and in order: a field added to session.Session
// (or an event, commit, task or index entry) without its line here would be
// dropped by every write, silently.
func TestRecordsMatchStructs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		names []string
		typ   reflect.Type
	}{
		{"session", sessionRecord.names, reflect.TypeFor[session.Session]()},
		{"event", eventRecord.names, reflect.TypeFor[session.Event]()},
		{"commit", commitRecord.names, reflect.TypeFor[session.Commit]()},
		{"task", taskRecord.names, reflect.TypeFor[session.Task]()},
		{"index entry", indexRecord.names, reflect.TypeFor[session.IndexEntry]()},
	} {
		var tags []string
		for i := range c.typ.NumField() {
			f := c.typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case !f.IsExported() || name == "-":
			case name == "":
				t.Errorf("%s: field %s has no json name", c.name, f.Name)
			default:
				tags = append(tags, name)
			}
		}
		if !slices.Equal(tags, c.names) {
			t.Errorf("%s: the struct's json fields and the codec's table differ:\nstruct %v\ncodec  %v", c.name, tags, c.names)
		}
	}
}
