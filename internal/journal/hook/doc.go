// Package hook reads what Claude Code's hooks report (their JSON payload,
// the git repository and window around them) and records it in the
// journal (internal/journal): a conversation's session is registered when
// it starts, takes its intent from the first prompt, says when it waits
// for the user and what it did last. Every event touches only the session
// of its own conversation (by Claude Code's session id), never another
// window's. Every text it keeps is redacted here first (see redacted).
//
// At a due Stop, PreCompact and SessionEnd it hands the transcript's new
// rows to the transcript archive through Hook.Archive (sess-hook starts
// sess-manage for it), after its own work; it never archives itself, so
// that no hook waits for the redaction of a turn, nor links the archive.
//
// It is apart from internal/journal so that sess-heartbeat, which uses the
// journal but not the payloads, links no redaction (regexp), git (os/exec)
// or export. It builds no path of the store: derived files through
// Store.Derived.
package hook
