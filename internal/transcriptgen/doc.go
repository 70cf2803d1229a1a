// Package transcriptgen writes made-up Claude Code projects folders: the
// ~/.claude/projects tree of transcripts (<folder>/<conversation>.jsonl, a
// subagent's <conversation>/subagents/agent-<hex>.jsonl or, from older
// builds, agent-<hex>.jsonl beside it), in the shapes Claude Code's builds
// write, with the token usage a cost report reads.
//
// The rule it keeps: the same Options make the same bytes. Every
// conversation draws from its own seeded generator and a fixed clock (no
// time.Now), so a tree can be made again, in a test, instead of kept.
//
// What a tree holds, on purpose: a reply written one row per content block,
// every row repeating its message id, request id and usage; context that
// grows turn by turn from the cache and is compacted before 200,000 input
// tokens; cache writes with and without the 5-minute/1-hour split; several
// models (subagents mostly haiku or sonnet), a few "fast" requests, a model
// no price table knows, "<synthetic>" rows; older builds' rows without a
// request id, or with costUSD; resumed conversations whose new file starts
// with a copy of the earlier one's rows; subagents in both layouts; a file
// whose last line is cut; conversations over two months, across midnight
// UTC, in several project folders. The first conversations of every tree
// are a tour of these shapes (see tour), so a small tree has them all; the
// rest are drawn at random in realistic proportions.
package transcriptgen
