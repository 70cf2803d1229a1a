// Package archtest holds tests of the repository's shape rather than of
// its behaviour: every library package says what it is for in a doc.go.
//
// It has no code of its own: its test parses the module's sources
// (go/parser, package clauses and comments only) and imports nothing of
// sess.
package archtest
