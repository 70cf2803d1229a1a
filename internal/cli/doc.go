// Package cli holds what the sess binaries share on the command line: the
// argparse-compatible argument normalizer that lets sess-manage take the
// original manage.py's invocations unchanged, multi-value and choice flags,
// the usage of ffcli commands and of one-flag-set tools (Tool) in the one
// layout of package usage, the suggestion for a mistyped name, JSON output,
// and the one mapping from errors to exit codes and error codes.
//
// Main is how a short-lived tool runs: the process's streams and
// arguments, the garbage collector held off until a memory limit, and
// os.Exit with the status of the tool's error; nothing else here exits.
// It touches no file. The store's folder is the flag's or, failing that,
// pkg/store's default under the user's home (DashboardDir, the one other
// look at the process), and the JSON is store.Marshal's.
package cli
