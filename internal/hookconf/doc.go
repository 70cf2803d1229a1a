// Package hookconf is the hook configuration sess installs into Claude
// Code's settings: which events start sess-hook, narrowed by matchers and
// `if` rules so that no process starts for what the journal ignores. It
// merges those entries into a settings file that other tools share, takes
// exactly them out again, and checks an installation (Doctor).
//
// It owns sess's entries in Claude Code's settings file and nothing else
// of it: other settings, other tools' hooks and their order are kept. The
// file is edited as the user's: a backup under a name never used before,
// then an atomic replace (renameat2 on Linux) made only while the file is
// still the one the edit read, never over a read-only file or through a
// dangling symlink. The caller names the file; the package imports
// nothing of sess.
//
// Doctor reads the settings file, runs each hook program with --version,
// and makes and removes one temp file in the store's folder to see that
// the hooks can write there, and shows the transcript archive's size the
// caller measures; it names no file inside the store.
package hookconf
