// Package cost puts the money on the journal: what each sess session,
// thread and project cost, from what its Claude Code conversations used
// (package usage reads and prices that).
//
// A request is a session's when it is of the session's conversation
// (claude_session_id) and made from the session's start until the next
// session of the same conversation starts; a request before the first
// (rows a resumed conversation copied from another, work before sess knew
// of it) is no session's. A project's requests are those of its
// registered folder (the request's working folder under the project's
// path), else those of its sessions' conversations.
//
// It reads the store (sessions, config.json, conversation pointers) and
// transcripts; it writes only usage's summaries.
package cost
