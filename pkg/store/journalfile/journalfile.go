package journalfile

import (
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// File is a file of the store's journal.
type File struct {
	Rel     string // its place in a store folder, slash-separated
	Path    string // where it is in this store
	Size    int64
	ModTime time.Time
	Session bool // a session's file, live or archived
}

// Folders are the journal's folders, the store's own left out: what a
// copy of the journal may have to tidy.
func Folders() []string { return []string{"sessions", "sessions/archive", "projects"} }

// All are the journal's folders, the store's own ("") last.
func All() []string { return append(Folders(), "") }

// SessionPlaces are where a session's file may be, as folder and name:
// live, or archived.
func SessionPlaces(id string) [2][2]string {
	return [2][2]string{{"sessions", id + ".json"}, {"sessions/archive", id + ".json"}}
}

// Index is where the session index is, as folder and name.
func Index() (folder, name string) { return "sessions", "_index.json" }

// Others are the folders whose every journal file a copy holds whatever
// changed: the projects' states and the store's own (config.json).
func Others() []string { return []string{"projects", ""} }

// IsName reports whether name, in the journal folder folder, is a journal
// file's (a session's, the index, a project's state, config.json), and so
// one a copy of the journal holds.
func IsName(folder, name string) bool {
	stem, ok := strings.CutSuffix(name, ".json")
	if !ok {
		return false
	}
	switch folder {
	case "sessions":
		return name == "_index.json" || session.ValidateSessionID(stem) == nil
	case "sessions/archive":
		return session.ValidateSessionID(stem) == nil
	case "projects":
		return session.ValidateSlug(stem) == nil
	case "":
		return name == "config.json"
	}
	return false
}

// IsSession reports whether a journal file in folder named name is a
// session's.
func IsSession(folder, name string) bool {
	return (folder == "sessions" || folder == "sessions/archive") && name != "_index.json"
}
