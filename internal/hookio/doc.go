// Package hookio reads what Claude Code hands a hook: the JSON object on
// stdin, of which sess uses a few fields, read leniently (unknown or
// mistyped fields are ignored), boundedly, and never waiting on a terminal
// or on a pipe that stays open; the git repository around a folder (its
// root, work tree and branch), learnt by reading .git's files without
// starting git, since a process costs a hook more than the rest of its
// work; and the store folder a hook uses.
//
// It only reads, and never the store: the store's default folder is
// pkg/store's (store.DefaultDir), and the environment comes in as a
// function so that tests give a hook one of their own.
package hookio
