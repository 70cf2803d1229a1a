// Package transcript reads Claude Code's conversation transcripts
// (~/.claude/projects/<folder>/<session id>.jsonl) into the turns people
// and Claude wrote, and picks the highlights an export keeps: redacted
// first, then trimmed to a budget that keeps the opening and the end and,
// between them, the turns with decisions, fixes and errors. It also finds
// a conversation's transcript and tells which earlier conversations a
// resumed or forked one carries over (Carried). Rows streams a transcript
// row by row (type, ids, times, folder and branch, the message's text,
// tool calls and results) for what replays a conversation (sess-manage
// import).
//
// The format is Claude Code's own and changes between releases: a line
// that is not JSON, a row of an unknown type or a content block of an
// unknown kind is skipped, so a newer format gives fewer highlights, never
// a failure. Reads are bounded (MaxLine, MaxFile, and a budget for the
// files Carried looks through).
//
// It only reads, and only Claude Code's files: the caller names the
// transcripts folder, and pkg/store is imported for SafeName alone, so an
// id that is not a plain name never becomes a path. It writes nothing and
// never touches the store.
package transcript
