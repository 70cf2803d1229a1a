package transcripts

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/sess-dev/sess/pkg/store/derived"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// What is read of the transcript archive: a conversation's lines as one
// stream, and figures and pruning for all of them.

// maxDecodeWindow bounds what the decoder of an archive may hold: its
// frames are written with a window of 1 MiB; an archive that asks for more
// is not one of sess's.
const maxDecodeWindow = 8 << 20

// Open streams the conversation's archived transcript: its
// redacted JSONL lines, every part in order, up to its last commit (a
// torn last append is dropped). An archive it cannot decode ends the
// stream with an error from Read. No archive is an error wrapping
// fs.ErrNotExist.
func (a *Archive) Open(cid string) (io.ReadCloser, error) {
	p := a.path(cid)
	if p == "" {
		return nil, fmt.Errorf("open transcript archive: %q is not a conversation id: %w", cid, fs.ErrNotExist)
	}
	file, fi, err := openArchive(p)
	if err != nil {
		return nil, fmt.Errorf("open transcript archive %s: %w", cid, err)
	}
	c, err := lastCommit(file, fi.Size())
	if err != nil && !errors.Is(err, errNoCommit) {
		file.Close()
		return nil, fmt.Errorf("open transcript archive %s: %w", cid, err)
	}
	return newArchiveReader(io.NewSectionReader(file, 0, c.end), file)
}

// newArchiveReader decodes an archive's frames read from r, closing
// closer with it (Open's, apart for the fuzz test).
func newArchiveReader(r io.Reader, closer io.Closer) (io.ReadCloser, error) {
	dec, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(maxDecodeWindow), zstd.WithDecoderMaxMemory(maxLine*2))
	if err != nil {
		closer.Close()
		return nil, err
	}
	return &archiveReader{dec, closer}, nil
}

type archiveReader struct {
	dec    *zstd.Decoder
	closer io.Closer
}

func (a *archiveReader) Read(p []byte) (int, error) { return a.dec.Read(p) }

func (a *archiveReader) Close() error {
	a.dec.Close()
	return a.closer.Close()
}

// openArchive opens an archive file, a regular one only, never through a
// symlink (the archive's files are sess's own).
func openArchive(p string) (*os.File, fs.FileInfo, error) { return openRegular(p, syscall.O_NOFOLLOW) }

// Archived reports whether the conversation has an archive with at least
// one append in it.
func (a *Archive) Archived(cid string) bool {
	c, ok := a.archived(cid)
	return ok && c.end > 0
}

// archived is the last commit of the conversation's archive.
func (a *Archive) archived(cid string) (commit, bool) {
	p := a.path(cid)
	if p == "" {
		return commit{}, false
	}
	file, fi, err := openArchive(p)
	if err != nil {
		return commit{}, false
	}
	defer file.Close()
	c, err := lastCommit(file, fi.Size())
	return c, err == nil
}

// Totals are the figures of the whole archive.
type Totals struct {
	Conversations int   `json:"conversations"`
	ArchiveBytes  int64 `json:"archive_bytes"`
	// SourceBytes is what the archives stand for: the transcripts' bytes
	// read into them.
	SourceBytes int64 `json:"source_bytes"`
	// OnDisk counts the conversations whose transcript Claude Code still
	// has, and their bytes now; the others live on only in the archive.
	OnDisk      int   `json:"transcripts_on_disk"`
	OnDiskBytes int64 `json:"transcripts_on_disk_bytes"`
}

// Totals are the figures of the archive; a conversation's file it cannot
// read is a warning and not counted.
func (a *Archive) Totals() (Totals, error) {
	var t Totals
	err := a.each(func(cid string, c commit, size int64) error {
		t.Conversations++
		t.ArchiveBytes += size
		t.SourceBytes += c.offset
		if fi, err := os.Stat(c.source); err == nil && fi.Mode().IsRegular() {
			t.OnDisk++
			t.OnDiskBytes += fi.Size()
		}
		return nil
	})
	return t, err
}

// Kept is one conversation the archive holds.
type Kept struct {
	ID       string
	Source   string    // the transcript its last append read
	Size     int64     // the archive's bytes
	Appended time.Time // its last append
}

// List names the archived conversations, in the folder's order; one it
// cannot read is a warning and left out.
func (a *Archive) List() ([]Kept, error) {
	var out []Kept
	err := a.each(func(cid string, c commit, size int64) error {
		out = append(out, Kept{ID: cid, Source: c.source, Size: size, Appended: time.Unix(c.unixTime, 0)})
		return nil
	})
	return out, err
}

// Prune removes the archives of the conversations last
// appended to before cutoff, and returns their ids (on a dry run, those it
// would remove). Each is removed under its lock, so never while an append
// runs.
func (a *Archive) Prune(cutoff time.Time, dryRun bool) ([]string, error) {
	ids := []string{}
	err := a.each(func(cid string, c commit, _ int64) error {
		if !time.Unix(c.unixTime, 0).Before(cutoff) {
			return nil
		}
		if !dryRun {
			removed := false
			err := a.withLock(cid, func() error {
				again, ok := a.archived(cid)
				if !ok || !time.Unix(again.unixTime, 0).Before(cutoff) {
					return nil // appended to since, or gone
				}
				if err := os.Remove(a.path(cid)); err != nil {
					return err
				}
				removed = true
				// The lock goes while held, as the store's orphaned locks
				// do: one who waits on it sees it gone and takes a new
				// one; removed after letting go, two appends could each
				// hold a lock of the same name.
				return disk.Remove(filepath.Join(a.dir, cid+".lock"))
			})
			if err != nil {
				return fmt.Errorf("prune transcript %s: %w", cid, err)
			}
			if !removed {
				return nil
			}
		}
		ids = append(ids, cid)
		return nil
	})
	return ids, err
}

// each calls fn with each archive's conversation, last commit
// and size, in the order of the folder; an archive with no commit is
// passed over, one it cannot read is a warning.
func (a *Archive) each(fn func(cid string, c commit, size int64) error) error {
	names, err := disk.ReadDirNames(a.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the transcript archive: %w", err)
	}
	for _, name := range names {
		cid, ok := strings.CutSuffix(name, ".jsonl.zst")
		if !ok || !derived.SafeName(cid) {
			continue
		}
		file, fi, err := openArchive(a.path(cid))
		if err != nil {
			a.warnf("transcript archive %s: %v", name, err)
			continue
		}
		c, err := lastCommit(file, fi.Size())
		file.Close()
		if err != nil {
			if !errors.Is(err, errNoCommit) {
				a.warnf("transcript archive %s: %v", name, err)
			}
			continue
		}
		if err := fn(cid, c, fi.Size()); err != nil {
			return err
		}
	}
	return nil
}
