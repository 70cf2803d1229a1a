// Package conversation turns a session's conversation (Claude Code's
// transcript) into the entries the page and the export show: prompts,
// answers, tool calls folded to their tool, target and outcome, slash
// commands and compactions, each with the journal's tasks, commits,
// decisions and events placed where they happened.
//
// The rule it keeps: a transcript is read as a stream, never held whole
// (a page stops reading once it has its entries), and every text it hands
// out is redacted as the journal redacts and bounded, since a live
// transcript is neither. Thinking and a subagent's rows are left out.
//
// It reads, and writes nothing: the live transcript under the Claude Code
// projects folder the caller names (found by transcript.Find), else the
// store's transcript archive (pkg/store/derived/transcripts). It builds no
// path into the store and changes no session.
package conversation
