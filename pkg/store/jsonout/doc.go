// Package jsonout writes the JSON every sess tool prints and the dashboard
// serves: 2-space indent, "<", ">" and "&" unescaped, a trailing newline,
// as the original's json.dumps(indent=2) does. What is printed most (a
// session, a listing of them, the overview) has a hand-written writer over
// the store's field tables (internal/codec), many times faster than
// encoding/json and byte for byte the same (the tests hold it); anything
// else goes through encoding/json.
//
// It only encodes: it reads and writes no file. The store's own files are
// the store's to encode (pkg/store keeps its writer private).
package jsonout
