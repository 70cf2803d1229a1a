package transcripts

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// Bounds of an append. A frame holds up to frameBytes bytes of source;
// one run reads at most maxAppendRun (the next goes on); a line longer
// than maxLine is kept as a stub that says how long it was, so that no
// line, however long, is held in memory whole.
const (
	frameBytes   = 4 << 20
	maxAppendRun = 256 << 20
	maxLine      = 32 << 20
)

// Appended is what one ArchiveTranscript did.
type Appended struct {
	Bytes  int64 // source bytes archived
	Frames int
	Part   uint32 // the source's part (see ArchiveTranscript)
}

// Archive is the transcript archive of one store: the folder
// derived.Files.Transcripts names. It holds no open files.
type Archive struct {
	dir   string
	now   func() time.Time
	warnf func(format string, args ...any)
}

// New is the archive in dir, with the store's clock and warnings.
func New(dir string, now func() time.Time, warnf func(format string, args ...any)) *Archive {
	if now == nil {
		now = time.Now
	}
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	return &Archive{dir: dir, now: now, warnf: warnf}
}

// Of is the archive of a store.
func Of(st *store.Store) *Archive {
	v := st.View()
	return New(st.Derived().Transcripts(), v.Now, v.Warnf)
}

// path is the archive of a conversation; "" for an id that is not a safe
// file name.
func (a *Archive) path(cid string) string {
	if !derived.SafeName(cid) {
		return ""
	}
	return filepath.Join(a.dir, cid+".jsonl.zst")
}

// Append appends to the conversation's archive the complete
// lines its transcript (source) has gained since the last append, each
// line through redact first. Appends of one conversation take its lock in
// turn. The source must be a regular file.
//
// A source that is another file than the last append read (another
// inode) but holds the same bytes where that one was read to (a copy, a
// restore) goes on from there. One that shrank, or another file that
// holds other bytes, is a new part: archived from its start, after what
// is archived already, which is never taken out. A part's lines follow
// the last part's in the archive's stream.
func (a *Archive) Append(cid, source string, redact func(line []byte) []byte) (Appended, error) {
	p := a.path(cid)
	if p == "" {
		return Appended{}, fmt.Errorf("archive transcript: %q is not a conversation id", cid)
	}
	// The source first: a conversation with no transcript yet makes no
	// file of the archive.
	src, fi, err := openRegular(source, 0) // followed, as the payload names it
	if err != nil {
		return Appended{}, fmt.Errorf("archive transcript %s: %w", cid, err)
	}
	defer src.Close()
	var out Appended
	err = a.withLock(cid, func() error {
		arc, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
		if err != nil {
			return err
		}
		defer arc.Close()
		last, err := a.recordedEnd(arc)
		if err != nil {
			return err
		}
		// Its size now, under the lock: the one from before may be older
		// than what another append has read since.
		if fi, err = src.Stat(); err != nil {
			return err
		}
		start := startOf(last, src, fi)
		out, err = appendFrames(arc, src, start, fi, a.now().Unix(), redact)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("archive transcript %s: %w", cid, err)
	}
	return out, nil
}

// withLock runs fn holding the conversation's archive lock.
func (a *Archive) withLock(cid string, fn func() error) error {
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return err
	}
	l, err := disk.Acquire(filepath.Join(a.dir, cid+".lock"))
	if err != nil {
		return err
	}
	defer l.Release()
	return fn()
}

// openRegular opens path for reading if it is a regular file, never
// blocking on a FIFO or a device; flags adds to the open's (O_NOFOLLOW).
func openRegular(path string, flags int) (*os.File, fs.FileInfo, error) {
	file, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC|flags, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := file.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		file.Close()
		return nil, nil, err
	}
	return file, fi, nil
}

// recordedEnd is the archive's last commit, its torn tail (an append that
// never committed) cut away; the zero commit for an archive with none.
func (a *Archive) recordedEnd(arc *os.File) (commit, error) {
	fi, err := arc.Stat()
	if err != nil {
		return commit{}, err
	}
	c, err := lastCommit(arc, fi.Size())
	if errors.Is(err, errNoCommit) {
		err = nil
	}
	if err != nil {
		return commit{}, err
	}
	if c.end < fi.Size() {
		a.warnf("transcript archive %s: %d bytes of an unfinished append cut away", arc.Name(), fi.Size()-c.end)
		if err := arc.Truncate(c.end); err != nil {
			return commit{}, err
		}
	}
	return c, nil
}

// start is where an append begins reading its source, and what it
// records.
type start struct {
	offset int64
	part   uint32
}

// startOf is where to read src from after commit last (see
// ArchiveTranscript for a source that changed).
func startOf(last commit, src io.ReaderAt, fi fs.FileInfo) start {
	dev, ino := fileID(fi)
	if last.end == 0 {
		return start{}
	}
	same := dev == last.dev && ino == last.ino
	if fi.Size() >= last.offset && (same || tailSum(src, last.offset) == last.tailSum) {
		return start{offset: last.offset, part: last.part}
	}
	return start{part: last.part + 1}
}

// tailSum is the checksum of src's tailLen bytes before offset.
func tailSum(src io.ReaderAt, offset int64) uint32 {
	from := max(0, offset-tailLen)
	buf := make([]byte, offset-from)
	if _, err := src.ReadAt(buf, from); err != nil && !errors.Is(err, io.EOF) {
		return 0
	}
	return crc32.ChecksumIEEE(buf)
}

// appendFrames appends the complete lines of src from st on, a frame
// and a commit at a time, each synced before the next.
func appendFrames(arc *os.File, src *os.File, st start, fi fs.FileInfo, now int64, redact func([]byte) []byte) (Appended, error) {
	out := Appended{Part: st.part}
	if _, err := src.Seek(st.offset, io.SeekStart); err != nil {
		return out, err
	}
	r := bufio.NewReaderSize(io.LimitReader(src, maxAppendRun), 256<<10)
	// The better level makes a realistic transcript 8% smaller than the
	// default (5.5 times smaller than its source, against 5.1) for 25 ms
	// more per megabyte, which the redaction (a second per megabyte) does
	// not notice; a larger window gains nothing on a transcript that does
	// not repeat itself, and would cost every reader its memory.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20), zstd.WithEncoderCRC(true),
		zstd.WithEncoderLevel(zstd.SpeedBetterCompression))
	if err != nil {
		return out, err
	}
	defer enc.Close()
	dev, ino := fileID(fi)
	offset := st.offset
	end, err := arc.Seek(0, io.SeekEnd)
	if err != nil {
		return out, err
	}
	for {
		lines, n, err := readLines(r, redact)
		if err != nil {
			return out, err
		}
		if n == 0 {
			return out, nil
		}
		offset += n
		frame := enc.EncodeAll(lines, nil)
		frame = append(frame, encodeCommit(commit{offset: offset, dev: dev, ino: ino, part: st.part,
			tailSum: tailSum(src, offset), unixTime: now, source: src.Name()})...)
		if _, err := arc.WriteAt(frame, end); err != nil {
			return out, err
		}
		if err := arc.Sync(); err != nil {
			return out, err
		}
		end += int64(len(frame))
		out.Bytes += n
		out.Frames++
	}
}

// readLines reads complete lines from r up to about frameBytes of source,
// each through redact, and returns them and how many source bytes they
// were. A last line without its newline is left to the next append (the
// transcript's writer has not finished it).
func readLines(r *bufio.Reader, redact func([]byte) []byte) (lines []byte, n int64, err error) {
	for n < frameBytes {
		line, size, complete, err := readLine(r)
		if err != nil {
			return nil, 0, err
		}
		if !complete {
			return lines, n, nil
		}
		n += size
		if line != nil {
			line = redact(line)
		} else {
			line = fmt.Appendf(nil, `{"type":"sess-archive-omitted","bytes":%d}`, size-1)
		}
		lines = append(append(lines, line...), '\n')
	}
	return lines, n, nil
}

// readLine reads one line, without its newline; a line over maxLine is
// read through and comes back nil. complete is false at the end of r
// before a newline: the reader then stands where it was, as far as the
// caller's offsets go.
func readLine(r *bufio.Reader) (line []byte, size int64, complete bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		size += int64(len(chunk))
		if size <= maxLine {
			line = append(line, chunk...)
		} else {
			line = nil
		}
		switch {
		case err == nil:
			if size > maxLine {
				return nil, size, true, nil
			}
			return line[:len(line)-1], size, true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue // a long line: its next piece
		case errors.Is(err, io.EOF):
			return nil, 0, false, nil
		default:
			return nil, 0, false, err
		}
	}
}
