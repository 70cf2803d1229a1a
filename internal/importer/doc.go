// Package importer makes sessions of past Claude Code conversations: every
// transcript under Claude Code's projects folder that the store does not
// know becomes a session, recorded through the journal's functions (the
// hooks' own: RegisterLaunch, PromptSubmitted, ToolUsed, TurnEnded,
// ConversationEnded, …) fed from the transcript's rows instead of hook
// payloads, on a store whose clock follows the rows' times. What a replay
// would overwrite is not written: the first prompt (the intent), the tool
// uses in batches (journal.ToolsRecorded, each at its own time), the
// compactions, the last turn and a prompt after it, then the end; the
// states between turns are not replayed. A conversation
// the store knows (by Claude Code's session id, live or archived) is
// enriched with the files, tasks and commits its session lacks
// (journal.ToolsRecorded), never doubled; an archived one is left as it is.
// Run twice, the second run adds nothing.
//
// Threads: a /clear starts a new transcript whose first user rows run the
// /clear command. Such a conversation carries on the conversation of the
// same transcript folder and working folder that ended last before the
// /clear (its last row no later than the /clear, within a day, not carried
// on by another), linked through the journal's /clear evidence (a window:
// here a made-up one per chain, "import-<first conversation's id>"). With
// no /clear row, or no such conversation, it starts a thread of its own.
// Every imported session has such a window ("import-<id>" outside a
// chain): it marks the sessions the import made, so that one it left
// active (its conversation was running) is completed by a later import
// once the conversation is over, while the hooks' sessions are theirs.
//
// Subagents' transcripts (<id>/subagents/…, agent-*.jsonl) and sidechain
// rows are not conversations; rows copied from another conversation (an
// other sessionId) are skipped. A transcript is read twice, streaming: a
// survey of its head and tail (folder, times, /clear), then the replay.
//
// What it may not touch: the store's files (it opens a Store on the
// folder, and writes through journal and Store), Claude Code's files (it
// only reads), and the hooks' payload reading (internal/journal/hook's
// ToolUseOf, Redacted and CompactNote are shared, so that a tool call and
// a text are mapped and redacted as a hook's).
package importer
