package transcripts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// An archived transcript is one file of zstd frames: for each append, a
// frame of the redacted lines, then a commit, a skippable frame (which
// every zstd reader passes over) that says what the lines before it stand
// for: how far the source was read, which file it was, and when. The
// archive is whole up to its last commit; whatever follows one is a torn
// append, which a reader drops and the next append cuts away. So the file
// is its own state: no second file to keep in step with it, and a kill at
// any point leaves an archive that reads as before the append or after it.

// commit is what one append recorded.
type commit struct {
	offset   int64  // how far the source was read: the end of its last complete line
	dev, ino uint64 // which file the source was
	part     uint32 // how many times the source started over (see startOf)
	tailSum  uint32 // a checksum of the source's last tailLen bytes before offset
	unixTime int64  // when the append was made
	source   string // the source's path
	end      int64  // where the commit ends in the archive: its whole length
}

// The commit's skippable frame: the magic of skippable frames with the
// last nibble sess's, its payload's length, then the payload: the
// signature, the fields in a fixed order, the path, and a CRC-32 of all of
// the payload before it.
var (
	commitMagic     = []byte{0x5e, 0x2a, 0x4d, 0x18}
	commitSignature = []byte("sess-transcript-commit-1")
)

const (
	commitFixed = 24 + 8*5 + 4*2 // signature, 5 int64/uint64 fields, part and tail sum
	maxSource   = 4096           // the longest source path a commit keeps
	tailLen     = 256
)

// encodeCommit is c as a skippable frame.
func encodeCommit(c commit) []byte {
	src := c.source
	if len(src) > maxSource {
		src = src[:maxSource]
	}
	payload := make([]byte, 0, commitFixed+len(src)+4)
	payload = append(payload, commitSignature...)
	payload = binary.LittleEndian.AppendUint64(payload, uint64(c.offset))
	payload = binary.LittleEndian.AppendUint64(payload, c.dev)
	payload = binary.LittleEndian.AppendUint64(payload, c.ino)
	payload = binary.LittleEndian.AppendUint32(payload, c.part)
	payload = binary.LittleEndian.AppendUint32(payload, c.tailSum)
	payload = binary.LittleEndian.AppendUint64(payload, uint64(c.unixTime))
	payload = binary.LittleEndian.AppendUint64(payload, uint64(len(src)))
	payload = append(payload, src...)
	payload = binary.LittleEndian.AppendUint32(payload, crc32.ChecksumIEEE(payload))
	out := append([]byte{}, commitMagic...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(payload)))
	return append(out, payload...)
}

// decodeCommit reads the commit frame at the start of b; ok is false when
// b does not start with a whole, intact one.
func decodeCommit(b []byte) (c commit, n int, ok bool) {
	if len(b) < 8 || !bytes.Equal(b[:4], commitMagic) {
		return commit{}, 0, false
	}
	size := int(binary.LittleEndian.Uint32(b[4:8]))
	if size < commitFixed+4 || size > commitFixed+maxSource+4 || len(b) < 8+size {
		return commit{}, 0, false
	}
	p := b[8 : 8+size]
	body, sum := p[:size-4], binary.LittleEndian.Uint32(p[size-4:])
	if !bytes.HasPrefix(body, commitSignature) || crc32.ChecksumIEEE(body) != sum {
		return commit{}, 0, false
	}
	f := body[len(commitSignature):]
	u64 := func(i int) uint64 { return binary.LittleEndian.Uint64(f[i:]) }
	c = commit{offset: int64(u64(0)), dev: u64(8), ino: u64(16),
		part: binary.LittleEndian.Uint32(f[24:]), tailSum: binary.LittleEndian.Uint32(f[28:]),
		unixTime: int64(u64(32))}
	if n := u64(40); n != uint64(len(f)-48) || c.offset < 0 {
		return commit{}, 0, false
	}
	c.source = string(f[48:])
	return c, 8 + size, true
}

// scanChunk is how much of the archive lastCommit reads at a time.
const scanChunk = 64 << 10

// errNoCommit is an archive with no intact commit: nothing in it counts.
var errNoCommit = errors.New("no commit")

// lastCommit finds the last intact commit of an archive of size bytes,
// reading backwards from its end: in a whole archive the last bytes are
// one, after a torn append the one before it. A commit that ends before
// the file does is followed by a torn append. Each read looks at the
// signatures that start in its first scanChunk bytes, and holds the whole
// commit of each.
func lastCommit(r io.ReaderAt, size int64) (commit, error) {
	buf := make([]byte, scanChunk+commitFixed+maxSource+16)
	for end := size; end > 8; {
		start := max(0, end-scanChunk)
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-start)], start)
		if err != nil && !errors.Is(err, io.EOF) {
			return commit{}, err
		}
		b := buf[:n]
		// Only signatures that start before end: those after were looked at.
		for limit := min(n, int(end-start)-1+len(commitSignature)); limit > 0; {
			i := bytes.LastIndex(b[:limit], commitSignature)
			if i < 8 {
				break // none, or its frame starts in the read before
			}
			if c, m, ok := decodeCommit(b[i-8:]); ok {
				c.end = start + int64(i-8+m)
				return c, nil
			}
			limit = i + len(commitSignature) - 1
		}
		if start == 0 {
			break
		}
		end = start + 8
	}
	return commit{}, errNoCommit
}
