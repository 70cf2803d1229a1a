package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"sort"
	"strings"
)

// A segment is an inverted index of some sessions: their facts, the terms
// sorted, and each term's postings (which session, which field, how often).
// The base segment holds the whole store as of its last build, in a file
// read through a mapping; the overlay holds the sessions changed since.

// docInfo is what a result shows of a session without reading it, and what
// tells whether its file changed since it was indexed.
type docInfo struct {
	ID, Project, Intent, Started string
	Archived                     bool
	ModTime                      int64 // the file's mtime, ns, as indexed
	Lens                         [numFields]uint16
}

// posting is one term in one field of one session.
type posting struct {
	Doc   uint32
	Field uint8
	TF    uint16
}

// segment is a segment in memory: how one is built, and the overlay's form.
type segment struct {
	Docs    []docInfo
	Terms   map[string][]posting
	Removed []string // ids of base documents this overlay replaces or deletes
	stems   map[string][2]string
}

// add indexes a session's fields as document docInfo.
func (g *segment) add(d docInfo, fields [numFields]string) {
	if g.Terms == nil {
		g.Terms = map[string][]posting{}
	}
	n := uint32(len(g.Docs))
	for f, text := range fields {
		tf := map[string]uint16{}
		count := 0
		words(text, func(w string) {
			count++
			en, nl := g.stem(w)
			if tf[en] < math.MaxUint16 {
				tf[en]++
			}
			if nl != "" && tf[nl] < math.MaxUint16 {
				tf[nl]++
			}
		})
		d.Lens[f] = uint16(min(count, math.MaxUint16))
		for t, c := range tf {
			g.Terms[t] = append(g.Terms[t], posting{n, uint8(f), c})
		}
	}
	g.Docs = append(g.Docs, d)
}

// stem is stems, remembered: a store has far fewer words than it has
// occurrences of them.
func (g *segment) stem(w string) (string, string) {
	if st, ok := g.stems[w]; ok {
		return st[0], st[1]
	}
	if g.stems == nil {
		g.stems = map[string][2]string{}
	}
	en, nl := stems(w)
	g.stems[w] = [2]string{en, nl}
	return en, nl
}

// The base file: a header (the magic, then a CRC-32C of all that follows,
// so that a file damaged past its header is found out and built again
// rather than searched with wrong results), the documents, the term table
// (fixed records, sorted by term, for a binary search in the mapping), the
// terms' text, and the postings (fixed records, by term, then document).
const (
	magic      = "SESSIDX4"
	termRecord = 12 // text offset, postings offset, postings count: uint32 each
	postRecord = 8  // doc uint32, field uint8, 0, tf uint16
)

// encode writes the segment as a base file, with the store fingerprint it
// was built from.
func (g *segment) encode(fingerprint string) []byte {
	removed := strings.Join(g.Removed, "\n")
	var docs bytes.Buffer
	for _, d := range g.Docs {
		for _, s := range []string{d.ID, d.Project, d.Intent, d.Started} {
			putString(&docs, s)
		}
		var flags byte
		if d.Archived {
			flags = 1
		}
		docs.WriteByte(flags)
		binary.Write(&docs, binary.LittleEndian, d.ModTime)
		binary.Write(&docs, binary.LittleEndian, d.Lens)
	}
	terms := make([]string, 0, len(g.Terms))
	for t := range g.Terms {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	var table, text, posts bytes.Buffer
	var rec [postRecord]byte
	for _, t := range terms {
		ps := g.Terms[t]
		sort.Slice(ps, func(i, j int) bool {
			return ps[i].Doc < ps[j].Doc || ps[i].Doc == ps[j].Doc && ps[i].Field < ps[j].Field
		})
		binary.Write(&table, binary.LittleEndian, [3]uint32{uint32(text.Len()), uint32(posts.Len() / postRecord), uint32(len(ps))})
		text.WriteString(t)
		for _, p := range ps {
			binary.LittleEndian.PutUint32(rec[0:], p.Doc)
			rec[4], rec[5] = p.Field, 0
			binary.LittleEndian.PutUint16(rec[6:], p.TF)
			posts.Write(rec[:])
		}
	}
	var out bytes.Buffer
	out.WriteString(magic)
	out.Write(make([]byte, 4)) // the checksum, below
	putString(&out, fingerprint)
	putString(&out, removed)
	binary.Write(&out, binary.LittleEndian, [6]uint32{uint32(len(g.Docs)), uint32(len(terms)), uint32(docs.Len()), uint32(table.Len()), uint32(text.Len()), uint32(posts.Len())})
	out.Write(docs.Bytes())
	out.Write(table.Bytes())
	out.Write(text.Bytes())
	out.Write(posts.Bytes())
	data := out.Bytes()
	binary.LittleEndian.PutUint32(data[len(magic):], crc32.Checksum(data[len(magic)+4:], castagnoli))
	return data
}

// castagnoli is CRC-32C's table: computed by the CPU where it can be.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func putString(b *bytes.Buffer, s string) {
	var n [binary.MaxVarintLen64]byte
	b.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
	b.WriteString(s)
}

// base is a base file read through a mapping: the documents decoded, the
// terms and postings looked up in place.
type base struct {
	fingerprint string
	removed     map[string]bool // an overlay's: base documents it replaces
	docs        []docInfo
	table, text []byte // the term table and the terms' text
	posts       []byte
}

var errCorrupt = errors.New("search index is corrupt")

// decodeBase reads a base file's parts, after its checksum; data must stay
// mapped while the base is used.
func decodeBase(data []byte) (*base, error) {
	if !checksumOK(data) {
		return nil, errCorrupt
	}
	return decodeChecked(data)
}

// checksumOK reports whether data is a base file whose checksum holds.
func checksumOK(data []byte) bool {
	return bytes.HasPrefix(data, []byte(magic)) && len(data) >= len(magic)+4 &&
		binary.LittleEndian.Uint32(data[len(magic):]) == crc32.Checksum(data[len(magic)+4:], castagnoli)
}

// decodeChecked is decodeBase of data whose checksum was found to hold.
func decodeChecked(data []byte) (*base, error) {
	if !bytes.HasPrefix(data, []byte(magic)) || len(data) < len(magic)+4 {
		return nil, errCorrupt
	}
	r := &reader{b: data[len(magic)+4:]}
	b := &base{fingerprint: r.string(), removed: map[string]bool{}}
	if rm := r.string(); rm != "" {
		for _, id := range strings.Split(rm, "\n") {
			b.removed[id] = true
		}
	}
	var sizes [6]uint32
	for i := range sizes {
		sizes[i] = r.u32()
	}
	nDocs, nTerms := int(sizes[0]), int(sizes[1])
	docs := r.take(int(sizes[2]))
	b.table, b.text, b.posts = r.take(int(sizes[3])), r.take(int(sizes[4])), r.take(int(sizes[5]))
	if r.err != nil || len(b.table) != nTerms*termRecord || len(b.posts)%postRecord != 0 || len(r.b) != 0 {
		return nil, errCorrupt
	}
	// A document takes at least its four lengths, flags, time and lengths.
	if nDocs > len(docs)/(4+1+8+2*numFields) {
		return nil, errCorrupt
	}
	dr := &reader{b: docs}
	b.docs = make([]docInfo, 0, nDocs)
	for range nDocs {
		d := docInfo{ID: dr.string(), Project: dr.string(), Intent: dr.string(), Started: dr.string()}
		d.Archived = dr.byte() == 1
		d.ModTime = int64(dr.u64())
		for f := range d.Lens {
			d.Lens[f] = dr.u16()
		}
		b.docs = append(b.docs, d)
	}
	if dr.err != nil || len(dr.b) != 0 {
		return nil, errCorrupt
	}
	// Check the tables point inside the file, once, so lookups need not.
	for i := range nTerms {
		to, po, pc := b.entry(i)
		if int(to) > len(b.text) || int(po)+int(pc) > len(b.posts)/postRecord {
			return nil, errCorrupt
		}
	}
	return b, nil
}

func (b *base) entry(i int) (textOff, postOff, postCount uint32) {
	rec := b.table[i*termRecord:]
	return binary.LittleEndian.Uint32(rec), binary.LittleEndian.Uint32(rec[4:]), binary.LittleEndian.Uint32(rec[8:])
}

func (b *base) nTerms() int { return len(b.table) / termRecord }

// term is the text of term i.
func (b *base) term(i int) string {
	start, _, _ := b.entry(i)
	end := uint32(len(b.text))
	if i+1 < b.nTerms() {
		end, _, _ = b.entry(i + 1)
	}
	if end < start {
		return ""
	}
	return string(b.text[start:end])
}

// find is the index of term t, or where it would be.
func (b *base) find(t string) int {
	return sort.Search(b.nTerms(), func(i int) bool { return b.term(i) >= t })
}

// postings calls fn for each posting of term i.
func (b *base) postings(i int, fn func(p posting)) {
	_, off, n := b.entry(i)
	for k := off; k < off+n; k++ {
		rec := b.posts[int(k)*postRecord:]
		fn(posting{binary.LittleEndian.Uint32(rec), rec[4], binary.LittleEndian.Uint16(rec[6:])})
	}
}

// withPrefix lists the terms that begin with p (at most max).
func (b *base) withPrefix(p string, max int) []string {
	var out []string
	for i := b.find(p); i < b.nTerms() && len(out) < max; i++ {
		t := b.term(i)
		if !strings.HasPrefix(t, p) {
			break
		}
		out = append(out, t)
	}
	return out
}

// reader reads the parts of a file, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errCorrupt
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) string() string {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)) {
		r.err = errCorrupt
		return ""
	}
	r.b = r.b[k:]
	return string(r.take(int(n)))
}

func (r *reader) byte() byte {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) u16() uint16 {
	b := r.take(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (r *reader) u32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *reader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// segmentOf reads a decoded file back into a segment, keeping only the
// documents keep says: the overlay is rewritten so.
func (b *base) segmentOf(keep func(d docInfo) bool) *segment {
	g := &segment{Terms: map[string][]posting{}}
	remap := make([]int64, len(b.docs))
	for i, d := range b.docs {
		remap[i] = -1
		if keep(d) {
			remap[i] = int64(len(g.Docs))
			g.Docs = append(g.Docs, d)
		}
	}
	for i := range b.nTerms() {
		t := b.term(i)
		b.postings(i, func(p posting) {
			if int(p.Doc) < len(remap) && remap[p.Doc] >= 0 {
				p.Doc = uint32(remap[p.Doc])
				g.Terms[t] = append(g.Terms[t], p)
			}
		})
	}
	for id := range b.removed {
		g.Removed = append(g.Removed, id)
	}
	sort.Strings(g.Removed)
	return g
}
