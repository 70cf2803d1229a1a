package transcript

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sess-dev/sess/pkg/store/derived"
)

// How a conversation that Claude Code resumed under a new id, or forked,
// shows the one it came from (observed in Claude Code's builds, 2.0 to
// 2.1; no field is documented):
//
//   - /branch (and the SDK's fork) marks every copied row with
//     forkedFrom.sessionId;
//   - builds up to 2.0 copy the earlier rows with their own sessionId;
//   - later builds stamp copied rows with the new id but keep their uuid:
//     the first message row's uuid (or, when the copy starts at a
//     compaction, the boundary's logicalParentUuid) is in the earlier
//     conversation's file, in the same folder.
//
// Summary rows' leafUuid is not used: older builds wrote summaries of other
// conversations into a file.

// carriedRows is how many rows from the top of a transcript are read for
// the evidence: copied rows come first.
const carriedRows = 40

// carriedScan bounds what is read of the other transcripts of the folder
// when looking for a row's uuid: the newest first, so that a conversation
// resumed lately is found.
const (
	carriedScanFiles = 200
	carriedScanBytes = 256 << 20
	carriedHead      = 64 << 10
)

// carriedRow is what the evidence needs of a row.
type carriedRow struct {
	Type              string `json:"type"`
	Subtype           string `json:"subtype"`
	UUID              string `json:"uuid"`
	SessionID         string `json:"sessionId"`
	LogicalParentUUID string `json:"logicalParentUuid"`
	ForkedFrom        struct {
		SessionID string `json:"sessionId"`
	} `json:"forkedFrom"`
}

// Carried is the conversations (Claude Code's ids) whose rows the
// transcript at path, conversation id's, carries over, the most likely
// first; nil when it carries none over, or cannot be read.
func Carried(path, id string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	add := func(other string) {
		if other != id && derived.SafeName(other) && !slices.Contains(out, other) {
			out = append(out, other)
		}
	}
	probe := ""
	br := bufio.NewReaderSize(f, 64<<10)
	for n := 0; n < carriedRows; n++ {
		line, err := readLine(br)
		var r carriedRow
		if len(line) > 0 && json.Unmarshal(line, &r) == nil {
			add(r.ForkedFrom.SessionID)
			if r.Type == "user" || r.Type == "assistant" || r.Type == "system" {
				add(r.SessionID)
				if probe == "" && r.Subtype == "compact_boundary" && r.LogicalParentUUID != "" {
					probe = r.LogicalParentUUID
				} else if probe == "" && r.UUID != "" {
					probe = r.UUID
				}
			}
		}
		if err != nil {
			break
		}
	}
	if len(out) > 0 || probe == "" {
		return out
	}
	for _, other := range holding(filepath.Dir(path), id, probe) {
		add(other)
	}
	return out
}

// readLine reads a line, whole up to MaxLine; past that, it is read
// through and nil returned.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) <= MaxLine {
			line = append(line, chunk...)
		} else {
			line = line[:0:0]
		}
		if err != bufio.ErrBufferFull {
			if len(line) == 0 {
				return nil, err
			}
			return line, err
		}
	}
}

// holding is the newest conversation of folder dir, other than id, whose
// transcript holds a row of that uuid; nil when none does.
func holding(dir, id, uuid string) []string {
	if !derived.SafeName(uuid) {
		return nil // not an id: nothing to look for
	}
	// A file made after this one may hold the row as a copy of it (a fork
	// of this conversation): where the system knows when files were made,
	// only older ones can be what this one carries on (one made in the same
	// tick of the file system's clock is not older).
	mine, known := born(filepath.Join(dir, id+".jsonl"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	type file struct {
		id    string
		mtime int64
	}
	var files []file
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".jsonl")
		if !ok || name == id || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil {
			files = append(files, file{name, fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(files, func(a, b file) int { return cmp.Compare(b.mtime, a.mtime) })
	needle := []byte(`"uuid":"` + uuid + `"`)
	older := files[:0]
	for _, f := range files {
		if len(older) == carriedScanFiles {
			break
		}
		if b, ok := born(filepath.Join(dir, f.id+".jsonl")); known && ok && b >= mine {
			continue
		}
		older = append(older, f)
	}
	files = older
	// A copy starts where its conversation starts: the row is near the top
	// of the file it came from, unless the copy starts at a compaction.
	// The heads first, then the whole files within the budget; the newest
	// file that holds it is the likeliest, so the look ends at the first.
	budget := int64(carriedScanBytes)
	buf := make([]byte, 256<<10) // one for every file: fresh memory costs page faults
	for _, limit := range []int64{carriedHead, -1} {
		for _, f := range files {
			if budget <= 0 {
				break
			}
			l := limit
			if l < 0 {
				l = budget
			}
			found, n := contains(filepath.Join(dir, f.id+".jsonl"), needle, l, buf)
			budget -= n
			if found {
				return []string{f.id}
			}
		}
	}
	return nil
}

// contains reports whether the file holds needle, reading at most limit
// bytes through buf (longer than needle), and how many it read.
func contains(path string, needle []byte, limit int64, buf []byte) (bool, int64) {
	f, err := os.Open(path)
	if err != nil {
		return false, 0
	}
	defer f.Close()
	keep := len(needle) - 1
	var read int64
	n := 0
	for read < limit {
		m, err := f.Read(buf[n:min(len(buf), n+int(min(limit-read, 1<<30)))])
		read += int64(m)
		if bytes.Contains(buf[:n+m], needle) {
			return true, read
		}
		if err != nil {
			if err == io.EOF {
				break
			}
			return false, read
		}
		// Keep the tail: the needle may straddle two reads.
		if n+m > keep {
			copy(buf, buf[n+m-keep:n+m])
			n = keep
		} else {
			n += m
		}
	}
	return false, read
}
