// Package derived owns the files of a store that sess derives and can
// always make again, apart from the sessions, the index and the project
// states (pkg/store's): what the hooks keep per conversation and window
// (pointers, Stop marks, window files: conversations.go) with the launch
// lock and sess-heartbeat's mark per project, the search's folder (.search: Search), the
// conversation highlights the exports keep for the search (SaveHighlights,
// Highlights), what was said in each archived conversation, for the search
// (AppendConversationText, ConversationText: appended to, bounded), the change feed that tells the search which sessions sess
// changed (NoteChanged, StartChanges, Changes), the notifier's state, the
// transcript archive's folder (Transcripts: its files are
// pkg/store/derived/transcripts'), and later the usage summaries. It alone names
// them; every other package asks it. It names none of pkg/store's files:
// the store gives it the folders of its session files, whose stamp the
// change feed keeps. What a file means to the hooks (which session a
// pointer leads to, when a Stop is due) is internal/journal's; this
// package only keeps the files.
//
// A derived file is written whole (internal/atomicfile), never fsynced,
// and read as untrusted: regular files only, never blocking, bounded in
// size. Losing one costs its making again, never a session. The change
// feed is appended to, and only if it is there: it is made by its
// reader (the search), so a store that is never searched pays one failed
// open a write. The transcript archive, apart in its own package, is the
// exception to "made again": once Claude Code deletes a transcript, the
// archive is all there is of it.
package derived
