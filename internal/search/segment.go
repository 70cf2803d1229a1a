package search

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"slices"
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
	// Entry is a live session's index entry's digest when it was indexed
	// (store.LiveEntry.Digest), 0 when not known: a look after another
	// tool wrote takes a session whose entry is as it was as indexed.
	Entry uint64
	Lens  [numFields]uint16
}

// posting is one term in one field of one session.
type posting struct {
	Doc   uint32
	Field uint8
	TF    uint16
}

// segment is a segment in memory: how one is built, and the overlay's form.
// Its terms are numbered as they come, so that counting a word is a slice
// index, not a map's: a build counts millions.
type segment struct {
	Docs    []docInfo
	Removed []string          // ids of base documents this overlay replaces or deletes
	terms   []string          // the terms, by number
	termNo  map[string]uint32 // a term's number
	posts   [][]posting       // each term's postings, by number
	stems   map[string][2]int32
	tf      []uint16 // the field being added: its count of each term
	touched []uint32 // the terms tf counts
}

// add indexes a session's fields as document docInfo.
func (g *segment) add(d docInfo, fields [numFields]string) {
	n := uint32(len(g.Docs))
	for f, text := range fields {
		count := 0
		scanWords(text, func(w []byte) {
			count++
			st, ok := g.stems[string(w)]
			if !ok {
				st = g.stem(string(w))
			}
			g.count(st[0])
			if st[1] >= 0 {
				g.count(st[1])
			}
		})
		d.Lens[f] = uint16(min(count, math.MaxUint16))
		for _, t := range g.touched {
			g.posts[t] = append(g.posts[t], posting{n, uint8(f), g.tf[t]})
			g.tf[t] = 0
		}
		g.touched = g.touched[:0]
	}
	g.Docs = append(g.Docs, d)
}

// join adds the documents of segment p after g's.
func (g *segment) join(p *segment) {
	offset := uint32(len(g.Docs))
	g.Docs = append(g.Docs, p.Docs...)
	for no, ps := range p.posts {
		if len(ps) == 0 {
			continue
		}
		t := g.term(p.terms[no])
		for _, q := range ps {
			q.Doc += offset
			g.posts[t] = append(g.posts[t], q)
		}
	}
}

// count counts term t once more in the field being added.
func (g *segment) count(t int32) {
	if g.tf[t] == 0 {
		g.touched = append(g.touched, uint32(t))
	}
	if g.tf[t] < math.MaxUint16 {
		g.tf[t]++
	}
}

// stem is a word's terms' numbers (-1 for none), remembered: a store has
// far fewer words than it has occurrences of them.
func (g *segment) stem(w string) [2]int32 {
	if g.stems == nil {
		g.stems = map[string][2]int32{}
	}
	en, nl := stems(w)
	st := [2]int32{int32(g.term(en)), -1}
	if nl != "" {
		st[1] = int32(g.term(nl))
	}
	g.stems[w] = st
	return st
}

// term is the number of term t, given it if it has none yet.
func (g *segment) term(t string) uint32 {
	if no, ok := g.termNo[t]; ok {
		return no
	}
	if g.termNo == nil {
		g.termNo = map[string]uint32{}
	}
	no := uint32(len(g.terms))
	g.termNo[t] = no
	g.terms = append(g.terms, t)
	g.posts = append(g.posts, nil)
	g.tf = append(g.tf, 0)
	return no
}

// The base file: a header (the magic, then a CRC-32C of all that follows,
// so that a file damaged past its header is found out and built again
// rather than searched with wrong results), the documents, the term table
// (fixed records, sorted by term, for a binary search in the mapping), the
// terms' text, and the postings (fixed records, by term, then document).
const (
	magic      = "SESSIDX6" // 6: the index entry's digest
	termRecord = 12         // text offset, postings offset, postings count: uint32 each
	postRecord = 8          // doc uint32, field uint8, 0, tf uint16
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
		binary.Write(&docs, binary.LittleEndian, d.Entry)
		binary.Write(&docs, binary.LittleEndian, d.Lens)
	}
	order := make([]uint32, 0, len(g.terms))
	for no, ps := range g.posts {
		if len(ps) > 0 {
			order = append(order, uint32(no))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(g.terms[a], g.terms[b]) })
	var table, text, posts bytes.Buffer
	var rec [postRecord]byte
	for _, no := range order {
		ps := g.posts[no]
		// Documents are added in order, a field at a time: only an
		// overlay's postings, rewritten, could come otherwise.
		if !slices.IsSortedFunc(ps, comparePostings) {
			slices.SortFunc(ps, comparePostings)
		}
		binary.Write(&table, binary.LittleEndian, [3]uint32{uint32(text.Len()), uint32(posts.Len() / postRecord), uint32(len(ps))})
		text.WriteString(g.terms[no])
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
	binary.Write(&out, binary.LittleEndian, [6]uint32{uint32(len(g.Docs)), uint32(len(order)), uint32(docs.Len()), uint32(table.Len()), uint32(text.Len()), uint32(posts.Len())})
	out.Write(docs.Bytes())
	out.Write(table.Bytes())
	out.Write(text.Bytes())
	out.Write(posts.Bytes())
	data := out.Bytes()
	binary.LittleEndian.PutUint32(data[len(magic):], crc32.Checksum(data[len(magic)+4:], castagnoli))
	return data
}

// comparePostings orders postings by document, then field.
func comparePostings(a, b posting) int {
	if a.Doc != b.Doc {
		return cmp.Compare(a.Doc, b.Doc)
	}
	return cmp.Compare(a.Field, b.Field)
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

var (
	errCorrupt      = errors.New("search index is corrupt")
	errOtherVersion = errors.New("search index was made by another version of sess")
)

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
	// A document takes at least its four lengths, flags, time, digest and
	// lengths.
	if nDocs > len(docs)/(4+1+8+8+2*numFields) {
		return nil, errCorrupt
	}
	// The documents' strings are cut from one copy of their part: a base
	// has tens of thousands, and every search reads them all.
	all := string(docs)
	dr := &reader{b: docs}
	b.docs = make([]docInfo, 0, nDocs)
	for range nDocs {
		d := docInfo{ID: dr.stringOf(all), Project: dr.stringOf(all), Intent: dr.stringOf(all), Started: dr.stringOf(all)}
		d.Archived = dr.byte() == 1
		d.ModTime = int64(dr.u64())
		d.Entry = dr.u64()
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

// stringOf reads a string as string does, cut from all, the whole of what
// r reads as one string.
func (r *reader) stringOf(all string) string {
	n, k := binary.Uvarint(r.b)
	if r.err != nil || k <= 0 || n > uint64(len(r.b)-k) {
		r.err = errCorrupt
		return ""
	}
	start := len(all) - len(r.b) + k
	r.b = r.b[k+int(n):]
	return all[start : start+int(n)]
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
	g := &segment{}
	remap := make([]int64, len(b.docs))
	for i, d := range b.docs {
		remap[i] = -1
		if keep(d) {
			remap[i] = int64(len(g.Docs))
			g.Docs = append(g.Docs, d)
		}
	}
	for i := range b.nTerms() {
		no := -1 // numbered only for a term some kept document has
		b.postings(i, func(p posting) {
			if int(p.Doc) < len(remap) && remap[p.Doc] >= 0 {
				p.Doc = uint32(remap[p.Doc])
				if no < 0 {
					no = int(g.term(b.term(i)))
				}
				g.posts[no] = append(g.posts[no], p)
			}
		})
	}
	for id := range b.removed {
		g.Removed = append(g.Removed, id)
	}
	sort.Strings(g.Removed)
	return g
}
