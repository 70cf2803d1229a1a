// Package examples carries the Claude Code skills that `sess-manage setup`
// installs into a project, embedded so that the binary is all a user needs.
package examples

import "embed"

// Skills holds skills/<name>/SKILL.md for each example skill.
//
//go:embed skills
var Skills embed.FS
