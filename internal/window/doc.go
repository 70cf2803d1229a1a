// Package window identifies the Claude Code window a hook runs in. Claude
// Code runs each window as one long-lived process and starts its hooks as
// children of it, usually through a shell: /clear and compaction keep that
// process, a new launch (also claude --resume) is a new one. The nearest
// ancestor of the hook that is not a shell, with its start time (so that a
// reused process id never matches), is therefore the window. Where the
// system does not say, there is no identity ("") and no lineage is drawn
// from one.
//
// It only reads what the system says of processes (/proc on Linux, sysctl
// on macOS) and imports nothing of sess. An ID is a safe file name, but
// the files kept per window are the store's to name (pkg/store), never
// named here.
package window
