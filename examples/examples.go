package examples

import "embed"

// Skills holds skills/<name>/SKILL.md for each example skill.
//
//go:embed skills
var Skills embed.FS
