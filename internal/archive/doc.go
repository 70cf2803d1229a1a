// Package archive appends a Claude Code conversation's transcript to the
// store's transcript archive (pkg/store/derived/transcripts) as the
// journal keeps any text of a conversation: redacted, row by row
// (redact.JSONLine), each row kept JSON. It is what sess-manage
// transcripts append runs, which the hooks start at a due Stop, PreCompact
// and SessionEnd, and what an import runs for the past.
//
// It owns no file: the archive names and keeps them. It takes the
// transcript's path from a hook's payload, so untrusted: an absolute path
// to a .jsonl file, which the archive opens only if it is a regular one.
// It is apart from the hooks (internal/journal/hook) so that sess-hook,
// which starts on every event, links neither the compressor nor the
// archive.
package archive
