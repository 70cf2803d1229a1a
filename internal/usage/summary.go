package usage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"time"
)

// A summary is what a report keeps of one transcript: how far it read
// (End), what the file was then (Size, ModTime, and a checksum of the
// bytes just before End, to tell an append from a rewrite), its first
// timestamp and the requests of its complete lines, each request once.
// It is a file of its own in the store's usage folder:
//
//	"SESSUS01"
//	path, folder, conversation, size, mtime, end, first, tailsum, archived
//	strings: models, conversations, folders of work, versions
//	entries: time (ms, from the one before), flags, string indexes,
//	         tokens (5 varints), costUSD, key, limit reset
//	crc32 of all of the above
//
// A summary that does not decode, or whose checksum fails, is read again
// from its transcript.
type Summary struct {
	Path     string
	Folder   string // the source's project folder and conversation, for
	Conv     string // when the transcript is gone and the summary is all there is
	Size     int64
	ModTime  time.Time
	End      int64
	First    time.Time
	TailSum  uint32
	Archived bool
	Entries  []Entry
}

const summaryMagic = "SESSUS01"

var errCorrupt = errors.New("usage summary corrupt")

const (
	flagFast = 1 << iota
	flagCost
	flagKey
	flagReset
)

// Encode writes the summary.
func (s *Summary) Encode() []byte {
	var e enc
	e.b = append(e.b, summaryMagic...)
	e.str(s.Path)
	e.str(s.Folder)
	e.str(s.Conv)
	e.int(s.Size)
	e.int(s.ModTime.UnixNano())
	e.int(s.End)
	e.int(unixNano(s.First))
	e.b = binary.LittleEndian.AppendUint32(e.b, s.TailSum)
	e.bool(s.Archived)
	strs, index := interned(s.Entries)
	e.uint(uint64(len(strs)))
	for _, v := range strs {
		e.str(v)
	}
	e.uint(uint64(len(s.Entries)))
	var prev int64
	for _, x := range s.Entries {
		ms := x.Time.UnixMilli()
		e.int(ms - prev)
		prev = ms
		e.entry(x, index)
	}
	return binary.LittleEndian.AppendUint32(e.b, crc32.ChecksumIEEE(e.b))
}

func (e *enc) entry(x Entry, index map[string]uint64) {
	var flags byte
	if x.Fast {
		flags |= flagFast
	}
	if x.HasCostUSD {
		flags |= flagCost
	}
	if x.Key != 0 {
		flags |= flagKey
	}
	if x.LimitReset != 0 {
		flags |= flagReset
	}
	e.b = append(e.b, flags)
	for _, v := range []string{x.Model, x.Conversation, x.Cwd, x.Version} {
		e.uint(index[v])
	}
	for _, n := range []int64{x.Tokens.Input, x.Tokens.Output, x.Tokens.CacheWrite5m, x.Tokens.CacheWrite1h, x.Tokens.CacheRead} {
		e.int(n)
	}
	if x.HasCostUSD {
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x.CostUSD))
	}
	if x.Key != 0 {
		e.b = binary.LittleEndian.AppendUint64(e.b, x.Key)
	}
	if x.LimitReset != 0 {
		e.int(x.LimitReset)
	}
}

// interned are the entries' strings, each once, and their indexes.
func interned(es []Entry) ([]string, map[string]uint64) {
	index := map[string]uint64{"": 0}
	strs := []string{""}
	for _, x := range es {
		for _, v := range []string{x.Model, x.Conversation, x.Cwd, x.Version} {
			if _, ok := index[v]; !ok {
				index[v] = uint64(len(strs))
				strs = append(strs, v)
			}
		}
	}
	return strs, index
}

// DecodeSummary reads a summary Encode wrote.
func DecodeSummary(b []byte) (*Summary, error) {
	if len(b) < len(summaryMagic)+4 || !bytes.HasPrefix(b, []byte(summaryMagic)) {
		return nil, errCorrupt
	}
	body := b[:len(b)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, errCorrupt
	}
	d := dec{b: body[len(summaryMagic):]}
	s := &Summary{Path: d.str(), Folder: d.str(), Conv: d.str(), Size: d.int()}
	s.ModTime = time.Unix(0, d.int())
	s.End = d.int()
	s.First = fromUnixNano(d.int())
	s.TailSum = d.u32()
	s.Archived = d.bool()
	strs := make([]string, d.count())
	for i := range strs {
		strs[i] = d.str()
	}
	s.Entries = make([]Entry, 0, d.count())
	var prev int64
	for n := cap(s.Entries); n > 0 && d.err == nil; n-- {
		prev += d.int()
		s.Entries = append(s.Entries, d.entry(prev, strs))
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errCorrupt
	}
	return s, nil
}

func (d *dec) entry(ms int64, strs []string) Entry {
	x := Entry{Time: time.UnixMilli(ms).UTC()}
	flags := d.byte()
	x.Fast, x.HasCostUSD = flags&flagFast != 0, flags&flagCost != 0
	for _, p := range []*string{&x.Model, &x.Conversation, &x.Cwd, &x.Version} {
		if i := d.uint(); i < uint64(len(strs)) {
			*p = strs[i]
		} else {
			d.err = errCorrupt
		}
	}
	for _, p := range []*int64{&x.Tokens.Input, &x.Tokens.Output, &x.Tokens.CacheWrite5m, &x.Tokens.CacheWrite1h, &x.Tokens.CacheRead} {
		*p = d.int()
	}
	if x.HasCostUSD {
		x.CostUSD = math.Float64frombits(d.u64())
	}
	if flags&flagKey != 0 {
		x.Key = d.u64()
	}
	if flags&flagReset != 0 {
		x.LimitReset = d.int()
	}
	return x
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// enc and dec write and read the summary's varints and strings; dec
// keeps its first error and reads zeros after it.
type enc struct{ b []byte }

func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() { d.err, d.b = errCorrupt, nil }

func (d *dec) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count is a length that must fit in what is left: each item takes a byte
// at least, so a corrupt count cannot make a huge allocation.
func (d *dec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *dec) str() string {
	n := d.count()
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *dec) bool() bool { return d.byte() != 0 }

func (d *dec) u32() uint32 {
	if len(d.b) < 4 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *dec) u64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}
