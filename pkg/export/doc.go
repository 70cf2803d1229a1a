// Package export formats sessions and projects for people and other tools:
// JSON records, Markdown documents, the Markdown files with YAML front
// matter that /recall indexes, a thread of sessions, and a thread's brief
// for the session that begins or resumes it.
//
// The rule it keeps: whatever text a session holds, the output keeps its
// shape. JSON is always whole (lists are [], never null), a Markdown document
// has exactly the headings, table and sections the layout gives it however
// many lines, pipes, backticks or Markdown markers the text contains, and the
// front matter reads back as the same values in a YAML 1.1 or 1.2 parser.
// A session or project document of ordinary text is byte for byte what the
// original claude-sessions-dashboard wrote, except that a duration reads
// "2h 15m" where the original wrote "2u 15m" and times are shown in UTC.
//
// It only formats: no I/O, no clock (the caller passes now), and only
// pkg/session imported. Where the text comes from (the store, a
// transcript's highlights) and where it goes (a file, a response) is the
// caller's: internal/exporter, sess-manage, internal/server.
package export
