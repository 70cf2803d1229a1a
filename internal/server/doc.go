// Package server is the dashboard of sess: an HTTP server on a loopback
// address over one store. It serves the embedded page (web/), the
// overview, every session of the store page by page (history.go), a search
// of them (search.go), threads, briefs and exports as JSON, what Claude
// Code's conversations cost (cost.go), and a stream of change events
// (events.go). sess-serve and `sess-manage serve` run it. With a folder
// shared with the user's other machines (internal/replica), every answer
// reads their parts of it too, read-only, and the change stream watches
// them (machines.go); while Run runs, this machine's part is published
// there (publish.go).
//
// It owns no file. It reads the store through pkg/store's View and the
// read models above it, and changes no session, project or configuration:
// the things a request may write are derived files, and only when the
// store's folder exists: the search index internal/search keeps (and the
// one of each other machine's part, kept in the store's folder, never in
// the part), and the summaries of the transcripts read that
// internal/usage keeps. Besides,
// a conversation's Markdown export is staged in a temporary file of the
// system's (not the store's) and removed once sent. It
// names no path inside the store; the folders it watches for the change
// stream are the ones the store gives.
//
// The rule it keeps: it answers only requests addressed to the loopback
// name it serves (DNS rebinding), sends every response with headers that
// forbid scripts from anywhere but itself, and bounds what a request may
// cost (compute slots, timeouts).
package server
