package transcriptgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sess-dev/sess/internal/transcript"
)

// Generate writes a projects folder of made-up transcripts into dir (made
// if missing; files of the same names are replaced) and says what it holds.
// It stops after the conversation that reaches opt.Conversations or
// opt.Bytes. Its memory stays small whatever the size: it streams each
// file, and keeps a few facts of each conversation.
func Generate(dir string, opt Options) (Stats, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	t := &tree{dir: dir, opt: opt}
	for k := range opt.Projects {
		t.projects = append(t.projects, weighted[int]{k, 12/(k+1) + 1})
	}
	for n := 0; !t.full(); n++ {
		d := newDice(opt.Seed, n)
		var p plan
		if n < len(tour) {
			p = t.basic(d)
			tour[n](t, d, &p)
		} else {
			p = t.draw(d)
		}
		if opt.Turns > 0 {
			p.turns = opt.Turns
		}
		t.conversation(d, p)
		if t.err != nil {
			return t.st, t.err
		}
	}
	return t.st, nil
}

// tree is a tree being written.
type tree struct {
	dir      string
	opt      Options
	projects []weighted[int] // the first folders busier than the last
	st       Stats
	convs    []convInfo
	err      error
}

// convInfo is what a later conversation needs of one written: to resume it.
type convInfo struct {
	id, path string
	project  int
	b        *build
	version  string
	model    string
	branch   string
	end      time.Time
	last     string // its last row's uuid
	ctx      window
	usage    int // rows of requests
	cut      bool
}

// fail keeps the first error.
func (t *tree) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

// full is whether the tree has reached its size.
func (t *tree) full() bool {
	return t.opt.Conversations > 0 && t.st.Conversations >= t.opt.Conversations ||
		t.opt.Bytes > 0 && t.st.Bytes >= t.opt.Bytes
}

// day is midnight UTC of the tree's day k.
func (t *tree) day(k int) time.Time { return t.opt.Start.AddDate(0, 0, k) }

// projectDirs are the working folders of the first projects; Claude Code
// names a project's transcript folder after its working folder.
var projectDirs = []string{"/home/dev/src/webapp", "/home/dev/src/github.com/acme/billing-api", notes,
	"/home/dev/src/sess", "/home/dev/src/ml/pipeline", "/home/dev/work/infra.tf"}

// notes is a working folder that is no git repository: its rows' gitBranch
// is empty.
const notes = "/home/dev/notes"

// cwd is project k's working folder.
func cwd(k int) string {
	if k < len(projectDirs) {
		return projectDirs[k]
	}
	return fmt.Sprintf("/home/dev/src/project-%d", k)
}

// resumable draws an earlier conversation to resume: nil if there is none
// (a file cut short is not resumed).
func (t *tree) resumable(d dice) *convInfo {
	if len(t.convs) == 0 {
		return nil
	}
	j := &t.convs[d.IntN(len(t.convs))]
	if j.cut {
		return nil
	}
	return j
}

// conversation writes the conversation p says, and its subagents'.
func (t *tree) conversation(d dice, p plan) {
	id := d.uuid()
	dir := cwd(p.project)
	if dir == notes {
		p.branch = ""
	}
	path := filepath.Join(t.dir, transcript.Folder(dir), id+".jsonl")
	f, err := createFile(path, &t.st)
	if err != nil {
		t.fail(err)
		return
	}
	c := &chat{t: t, d: d, f: f, b: p.b, version: p.version, id: id, cwd: dir, branch: p.branch, model: p.model,
		ttl: 5 * time.Minute, now: p.start, ctx: newWindow(d)}
	if p.hour {
		c.ttl = time.Hour
	}
	if p.resume != nil {
		c.carryOn(p.resume)
	}
	for n := range p.turns {
		c.turn(&p, n)
	}
	if p.cut {
		c.cut()
	}
	t.fail(f.close(c.now))
	t.st.Conversations++
	t.convs = append(t.convs, convInfo{id: id, path: path, project: p.project, b: p.b, version: p.version, model: c.model,
		branch: p.branch, end: c.now, last: c.parent, ctx: c.ctx, usage: c.usage, cut: p.cut})
}

// carryOn starts a resumed conversation's file as Claude Code does: with
// the rows of the conversation it resumes, copied (older builds first write
// a summary row, and keep the rows' conversation id; newer ones stamp the
// new id and keep the uuids), then goes on from where it ended.
func (c *chat) carryOn(j *convInfo) {
	data, err := os.ReadFile(j.path)
	if err != nil {
		c.t.fail(err)
		return
	}
	if !c.b.stampsCopies {
		c.f.write(summaryRow{Type: "summary", Summary: "Check the input before decoding it", LeafUUID: j.last})
	}
	old, stamped := []byte(`"sessionId":"`+j.id+`"`), []byte(`"sessionId":"`+c.id+`"`)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break // a line cut short is not carried on
		}
		line := data[:i+1]
		data = data[i+1:]
		if c.b.stampsCopies {
			line = bytes.Replace(line, old, stamped, 1)
		}
		c.f.raw(line)
		c.t.st.CopiedRows++
	}
	c.usage += j.usage
	c.t.st.UsageRows += j.usage
	c.parent, c.ctx, c.called = j.last, j.ctx, j.end
	c.t.st.Resumed++
}
