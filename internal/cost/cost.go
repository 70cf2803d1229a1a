package cost

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// Config says where a costing reads.
type Config struct {
	Store *store.Store
	Roots []string // Claude Code's projects folders (usage.ProjectRoots)
	Mode  usage.Mode
	Warnf func(format string, args ...any)
	// Others are the other machines of a shared journal: what their
	// conversations used, as they published it.
	Others []Machine
}

// Machine is another machine's part of a shared journal as a costing reads
// it: its name, its store (read-only: its registered projects) and the
// folder of its published usage summaries.
type Machine struct {
	Name  string
	Store *store.Store
	Usage string
}

// cache is the store's usage summaries, nil when the store's folder is
// not there (a read never makes it).
func (c Config) cache() *usage.Cache {
	if c.Store == nil || !c.Store.View().Exists() {
		return nil
	}
	return usage.NewCache(c.Store.Derived().Usage(), c.Warnf)
}

// Sessions is what each of the sessions cost, by id; a session whose
// conversation used nothing (or has none) is not in it.
func Sessions(c Config, sessions []*session.Session) (map[string]*usage.Tally, error) {
	owners := map[string][]owner{}
	for _, s := range sessions {
		cid := session.Deref(s.ClaudeSessionID)
		if cid == "" {
			continue
		}
		start, err := session.ParseTime(s.StartedAt)
		if err != nil {
			continue
		}
		owners[cid] = append(owners[cid], owner{id: s.SessionID, start: start})
	}
	for cid := range owners {
		sortOwners(owners[cid])
	}
	srcs := c.conversationSources(sessions, owners)
	out := map[string]*usage.Tally{}
	_, err := usage.Each(usage.Options{Mode: c.Mode, Sources: srcs, Cache: c.cache(), Warnf: c.Warnf}, func(r usage.Counted) {
		o := ownerAt(owners[r.Conversation], r.Time)
		if o == nil {
			return
		}
		t := out[o.id]
		if t == nil {
			t = &usage.Tally{}
			out[o.id] = t
		}
		t.Count(r)
	})
	return out, err
}

// owner is a session of a conversation, from its start.
type owner struct {
	id    string
	start time.Time
}

func sortOwners(os []owner) {
	sort.SliceStable(os, func(i, j int) bool { return os[i].start.Before(os[j].start) })
}

// ownerAt is the session of a conversation a request at t is of: the last
// to start at or before t; nil before the first.
func ownerAt(os []owner, t time.Time) *owner {
	var got *owner
	for i := range os {
		if os[i].start.After(t) {
			break
		}
		got = &os[i]
	}
	return got
}

// conversationSources are the transcripts of the sessions' conversations:
// each one's own (or the archive's copy, when Claude Code deleted it) and
// its subagents'.
func (c Config) conversationSources(sessions []*session.Session, owners map[string][]owner) []usage.Source {
	cfg := c.Store.View().Config()
	var live []usage.Source
	var missing []string
	done := map[string]bool{}
	elsewhere := map[string]map[string]bool{} // machine → its sessions' conversations
	for _, s := range sessions {
		cid := session.Deref(s.ClaudeSessionID)
		if cid == "" || done[cid] || len(owners[cid]) == 0 {
			continue
		}
		done[cid] = true
		if s.Machine != nil { // its transcripts are there: what it published of them
			if elsewhere[*s.Machine] == nil {
				elsewhere[*s.Machine] = map[string]bool{}
			}
			elsewhere[*s.Machine][cid] = true
			continue
		}
		var cwds []string
		cwds = append(cwds, session.Deref(s.WorktreeRoot))
		if p, ok := cfg.Project(s.ProjectSlug); ok {
			cwds = append(cwds, p.Path)
		}
		found := false
		for _, root := range c.Roots {
			if path := transcript.Find(root, cid, cwds...); path != "" {
				live = append(live, sourcesOf(root, path, cid)...)
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, cid)
		}
	}
	return append(append(live, c.archived(missing)...), c.published(elsewhere)...)
}

// published are what other machines published of the conversations named
// (by machine).
func (c Config) published(cids map[string]map[string]bool) []usage.Source {
	var out []usage.Source
	for _, m := range c.Others {
		if want := cids[m.Name]; want != nil {
			for _, src := range usage.Published(m.Usage, m.Name) {
				if want[src.Conversation] {
					out = append(out, src)
				}
			}
		}
	}
	return out
}

// sourcesOf are a conversation's transcript and its subagents'.
func sourcesOf(root, path, cid string) []usage.Source {
	rel, _ := filepath.Rel(root, path)
	folder, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	out := []usage.Source{sourceAt(path, folder, cid)}
	subs, _ := filepath.Glob(filepath.Join(filepath.Dir(path), cid, "subagents", "*.jsonl"))
	sort.Strings(subs)
	for _, p := range subs {
		out = append(out, sourceAt(p, folder, cid))
	}
	return out
}

func sourceAt(path, folder, cid string) usage.Source {
	s := usage.Source{Path: path, Folder: folder, Conversation: cid}
	if fi, err := os.Stat(path); err == nil {
		s.Size, s.ModTime = fi.Size(), fi.ModTime()
	}
	return s
}

// archived are the archive's copies of the conversations Claude Code no
// longer has.
func (c Config) archived(cids []string) []usage.Source {
	if len(cids) == 0 {
		return nil
	}
	kept, err := usage.Kept(transcripts.Of(c.Store), nil)
	if err != nil {
		return nil
	}
	want := map[string]bool{}
	for _, cid := range cids {
		want[cid] = true
	}
	var out []usage.Source
	for _, k := range kept {
		if want[k.Conversation] {
			out = append(out, k)
		}
	}
	return out
}
