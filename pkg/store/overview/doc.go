// Package overview holds the store's read models: the dashboard's overview
// (the original's `overview` command, served as GET /api/overview) and the
// activity per project and day (GET /api/activity). Both are computed over
// a store.View, from what the store's files say now.
//
// It only reads, and only through the View: it names no file of the store
// and never writes, locks or mends (the View does what a read needs). The
// overview's JSON is the original's byte for byte; package jsonout writes
// it fast.
package overview
