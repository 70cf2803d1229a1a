package usage

import (
	"encoding/hex"
	"errors"
	"hash/crc32"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sess-dev/sess/internal/atomicfile"
)

// Cache keeps a summary of each transcript read in a folder (the store's
// derived usage folder), so that a report reads only the bytes appended
// since the last. A summary it cannot write leaves the report right and
// slower: one warning, and the transcripts are read whole.
type Cache struct {
	dir   string
	warnf func(format string, args ...any)
	once  sync.Once
	off   bool
	mu    sync.Mutex
}

// NewCache is the cache in dir (made when first written).
func NewCache(dir string, warnf func(format string, args ...any)) *Cache {
	return &Cache{dir: dir, warnf: warnf}
}

// tailSpan is how many bytes before End a summary's checksum covers: a
// transcript rewritten rather than appended to (a different file under
// the same name) is read again from its start.
const tailSpan = 4096

// file is the summary's file of a source.
func (c *Cache) file(src Source) string {
	h := fnv.New128a()
	if src.Archived {
		h.Write([]byte("archived:" + src.Conversation))
	} else {
		h.Write([]byte("live:" + src.Path))
	}
	return filepath.Join(c.dir, hex.EncodeToString(h.Sum(nil))+".sum")
}

// loadSummaryFile reads a summary file.
func loadSummaryFile(path string) (*Summary, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, err
	}
	return DecodeSummary(data)
}

// load is the source's summary, nil when there is none that is whole and
// of this source.
func (c *Cache) load(src Source) *Summary {
	if src.summaryFile != "" {
		s, _ := loadSummaryFile(src.summaryFile)
		return s
	}
	data, err := readRegular(c.file(src))
	if err != nil {
		return nil
	}
	s, err := DecodeSummary(data)
	if err != nil || s.Path != src.Path || s.Archived != src.Archived {
		return nil
	}
	return s
}

// readRegular reads a regular file, never a FIFO or a device put in its
// place: the usage folder is the store's, and a report must not hang on it.
func readRegular(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscallNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return io.ReadAll(f)
}

// save writes the summary; after a failure the cache is off for the run.
func (c *Cache) save(src Source, s *Summary) {
	c.mu.Lock()
	off := c.off
	c.mu.Unlock()
	if off {
		return
	}
	if err := atomicfile.WriteFile(c.file(src), s.Encode()); err != nil {
		c.mu.Lock()
		c.off = true
		c.mu.Unlock()
		c.once.Do(func() {
			if c.warnf != nil {
				c.warnf("usage: cannot keep summaries in %s (%v): every transcript is read whole", c.dir, err)
			}
		})
	}
}

// entries are the requests of a source's summary, read back; should the
// summary have gone since (another report pruned it), the source is read
// again.
func (c *Cache) entries(src Source) []Entry {
	if s := c.load(src); s != nil {
		return s.Entries
	}
	if s, _, _, err := readWhole(src); err == nil {
		return s.Entries
	}
	return nil
}

func (c *Cache) isOff() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.off
}

// Refresh brings the source's summary up to date and returns it with the
// entries of an unfinished last line; read is the bytes read now.
func (c *Cache) Refresh(src Source) (s *Summary, tail []Entry, read int64, err error) {
	old := c.load(src)
	if src.orphan || src.summaryFile != "" {
		if old == nil {
			return nil, nil, 0, fs.ErrNotExist
		}
		return old, nil, 0, nil
	}
	if src.Archived {
		if old != nil && old.Size == src.Size && old.ModTime.Equal(src.ModTime) {
			return old, nil, 0, nil
		}
		s, tail, read, err = readWhole(src)
	} else {
		s, tail, read, err = refreshLive(src, old)
	}
	if err == nil && (old == nil || old.End != s.End || old.Size != s.Size || !old.ModTime.Equal(s.ModTime)) {
		c.save(src, s)
	}
	return s, tail, read, err
}

// refreshLive reads what was appended to a transcript since its summary,
// or all of it when there is no summary or the file is not the one summed.
func refreshLive(src Source, old *Summary) (*Summary, []Entry, int64, error) {
	f, err := os.Open(src.Path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, 0, err
	}
	if old == nil || fi.Size() < old.End || tailSum(f, old.End) != old.TailSum {
		old = &Summary{}
	} else if fi.Size() == old.Size && fi.ModTime().Equal(old.ModTime) && old.End == old.Size {
		return old, nil, 0, nil // nothing new
	}
	if _, err := f.Seek(old.End, io.SeekStart); err != nil {
		return nil, nil, 0, err
	}
	scan, err := Read(f, old.End)
	if err != nil {
		return nil, nil, 0, err
	}
	s := &Summary{Path: src.Path, Folder: src.Folder, Conv: src.Conversation, Size: fi.Size(), ModTime: fi.ModTime(), End: scan.End, First: old.First,
		Entries: appendOnce(old.Entries, scan.Entries)}
	if !scan.First.IsZero() && (s.First.IsZero() || scan.First.Before(s.First)) {
		s.First = scan.First
	}
	s.TailSum = tailSum(f, s.End)
	return s, scan.Tail, fi.Size() - old.End, nil
}

// readWhole reads a source from its start (an archived conversation's
// stream cannot be read from an offset).
func readWhole(src Source) (*Summary, []Entry, int64, error) {
	r, err := src.Open()
	if err != nil {
		return nil, nil, 0, err
	}
	defer r.Close()
	scan, err := Read(r, 0)
	if err != nil {
		return nil, nil, 0, err
	}
	s := &Summary{Path: src.Path, Folder: src.Folder, Conv: src.Conversation, Size: src.Size, ModTime: src.ModTime, End: scan.End, First: scan.First,
		Archived: src.Archived, Entries: appendOnce(nil, scan.Entries)}
	return s, scan.Tail, src.Size, nil
}

// appendOnce adds entries to kept, leaving out a request already in it:
// within one transcript only the first row of a reply can count.
func appendOnce(kept, more []Entry) []Entry {
	seen := make(map[uint64]bool, len(kept))
	for _, e := range kept {
		if e.Key != 0 {
			seen[e.Key] = true
		}
	}
	out := kept[:len(kept):len(kept)]
	for _, e := range more {
		if e.Key != 0 {
			if seen[e.Key] {
				continue
			}
			seen[e.Key] = true
		}
		out = append(out, e)
	}
	return out
}

// tailSum is the checksum of the bytes before end.
func tailSum(f io.ReaderAt, end int64) uint32 {
	start := max(0, end-tailSpan)
	buf := make([]byte, end-start)
	if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
		return 0
	}
	return crc32.ChecksumIEEE(buf)
}

// Orphans are the summaries of transcripts that are gone (Claude Code
// deleted them) and that known (the sources read) does not stand for: what
// they counted is kept, as the summary is all that is left of it. A
// summary whose transcript is still there, under a folder not read, is
// not an orphan.
func (c *Cache) Orphans(known []Source) []Source {
	want := map[string]bool{}
	conversations := map[string]bool{}
	for _, s := range known {
		want[filepath.Base(c.file(s))] = true
		if s.Archived {
			conversations[s.Conversation] = true
		}
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil
	}
	var out []Source
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".sum" || want[e.Name()] {
			continue
		}
		data, err := readRegular(filepath.Join(c.dir, e.Name()))
		if err != nil {
			continue
		}
		s, err := DecodeSummary(data)
		if err != nil || s.Archived {
			continue
		}
		if _, err := os.Lstat(s.Path); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if conversations[s.Conv] && strings.TrimSuffix(filepath.Base(s.Path), ".jsonl") == s.Conv {
			continue // the archive holds it (it keeps conversations' own transcripts, not their subagents')
		}
		out = append(out, Source{Path: s.Path, Folder: s.Folder, Conversation: s.Conv, Size: s.Size, ModTime: s.ModTime, orphan: true})
	}
	return out
}
