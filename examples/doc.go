// Package examples carries the Claude Code skills that `sess-manage setup`
// installs into a project, embedded so that the binary is all a user needs.
//
// It is the files alone (skills/); sess-manage decides where they go and
// never writes over a file that is there.
package examples
