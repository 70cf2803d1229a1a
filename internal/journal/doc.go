// Package journal is the hook-fed journal: what Claude Code's hooks tell of
// a conversation, recorded in its own session through the store's public
// change (store.Update, a Tx) and read through store.View. It owns the
// hooks' vocabulary (a prompt submitted, a turn ended or failed, a wait, a
// tool used, a conversation ended, a note), the launch of a conversation
// (RegisterLaunch: its session found again or made, under the launch
// lock), the lineage of sessions (threads: which session a new
// conversation carries on, and Thread to follow them), and the heartbeat
// of a project's conversation without a session of its own.
//
// What it may not touch: the store's files. It builds no path; the files
// the hooks keep per conversation and window (pointers, Stop marks, the
// launch lock) are derived.Files', reached by Store.Derived, and the
// sessions are written only inside an Update. Its functions are on a hook's
// path, which runs on every Claude Code event: a change here must add no
// read or write there. The hooks' payloads are read in internal/journal/hook,
// which keeps this package's imports small enough for sess-heartbeat.
package journal
