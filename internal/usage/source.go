package usage

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// Source is one transcript to read: a file under a projects folder, or a
// conversation only sess's archive still holds.
type Source struct {
	Path         string // the transcript; for an archived one, the file it was read from (gone)
	Folder       string // its project folder: the first under projects/ (ccusage's "project")
	Conversation string // the conversation it is of: its name, or its folder's for a subagent's
	Archived     bool   // read from the archive
	Size         int64
	ModTime      time.Time
	Machine      string // another machine's transcript, as it published its summary ("" for this one's)
	open         func() (io.ReadCloser, error)
	orphan       bool   // gone, and not archived: its summary is all there is
	summaryFile  string // another machine's summary of it, read as it is
}

// Open reads the source from its start.
func (s Source) Open() (io.ReadCloser, error) {
	if s.open != nil {
		return s.open()
	}
	return os.Open(s.Path)
}

// claudeProjects is the folder of transcripts in a Claude Code config
// folder (not the store's projects/).
const claudeProjects = "projects"

// ProjectRoots are the projects folders ccusage reads: each of
// CLAUDE_CONFIG_DIR's (comma-separated) that has one, else those of
// ~/.config/claude and ~/.claude.
func ProjectRoots(getenv func(string) string) []string {
	var dirs []string
	if env := strings.TrimSpace(getenv("CLAUDE_CONFIG_DIR")); env != "" {
		dirs = strings.Split(env, ",")
	} else if home := getenv("HOME"); home != "" {
		dirs = []string{filepath.Join(home, ".config", "claude"), filepath.Join(home, ".claude")}
	}
	var roots []string
	seen := map[string]bool{}
	for _, d := range dirs {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		abs, err := filepath.Abs(d)
		if err != nil || seen[abs] {
			continue
		}
		if fi, err := os.Stat(filepath.Join(abs, claudeProjects)); err == nil && fi.IsDir() {
			seen[abs] = true
			roots = append(roots, filepath.Join(abs, claudeProjects))
		}
	}
	return roots
}

// Transcripts lists the *.jsonl files under the projects folders, at any
// depth (subagents' own transcripts are in <conversation>/subagents/),
// in a stable order. A folder it cannot read is passed over.
func Transcripts(roots []string) []Source {
	var out []Source
	seen := map[string]bool{}
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".jsonl") || seen[p] {
				return nil
			}
			fi, err := os.Stat(p) // a link to a transcript counts, as ccusage's glob follows it
			if err != nil || !fi.Mode().IsRegular() {
				return nil
			}
			seen[p] = true
			rel, _ := filepath.Rel(root, p)
			out = append(out, Source{Path: p, Folder: folderOf(rel), Conversation: conversationOf(rel), Size: fi.Size(), ModTime: fi.ModTime()})
			return nil
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// folderOf is the project folder of a transcript's path under projects/.
func folderOf(rel string) string {
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	return first
}

// conversationOf is the conversation a transcript is of, by its path:
// <folder>/<id>.jsonl, or <folder>/<id>/subagents/agent-….jsonl.
func conversationOf(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) >= 4 && parts[len(parts)-2] == "subagents" {
		return parts[len(parts)-3]
	}
	return strings.TrimSuffix(parts[len(parts)-1], ".jsonl")
}

// Kept are the conversations sess's archive holds whose transcript is not
// among live (Claude Code deleted it, or it is under a folder not read):
// read from the archive.
func Kept(arc *transcripts.Archive, live []Source) ([]Source, error) {
	kept, err := arc.List()
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, s := range live {
		have[s.Path] = true
		have["id:"+strings.TrimSuffix(filepath.Base(s.Path), ".jsonl")] = true
	}
	var out []Source
	for _, k := range kept {
		if have[k.Source] || have["id:"+k.ID] {
			continue
		}
		id := k.ID
		folder, conv := filepath.Base(filepath.Dir(k.Source)), id
		if folder == "subagents" { // <folder>/<conversation>/subagents/agent-….jsonl
			convDir := filepath.Dir(filepath.Dir(k.Source))
			folder, conv = filepath.Base(filepath.Dir(convDir)), filepath.Base(convDir)
		}
		out = append(out, Source{Path: k.Source, Folder: folder, Conversation: conv,
			Archived: true, Size: k.Size, ModTime: k.Appended, open: func() (io.ReadCloser, error) { return arc.Open(id) }})
	}
	return out, nil
}

// Published are the transcripts another machine summed up, as it published
// its summaries into dir (a shared journal's part): read from them, never
// from transcripts, which are on that machine.
func Published(dir, machine string) []Source {
	names, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []Source
	for _, e := range names {
		if !e.Type().IsRegular() || filepath.Ext(e.Name()) != ".sum" || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		file := filepath.Join(dir, e.Name())
		s, err := loadSummaryFile(file)
		if err != nil {
			continue // cut short by the replicator, or not a summary: the next read
		}
		out = append(out, Source{Path: s.Path, Folder: s.Folder, Conversation: s.Conv, Size: s.Size, ModTime: s.ModTime,
			Machine: machine, summaryFile: file})
	}
	return out
}
