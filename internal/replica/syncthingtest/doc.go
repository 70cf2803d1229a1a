// Package syncthingtest runs real Syncthing daemons for a test, so a test
// can check what a machine reads of a folder Syncthing replicated (its
// files delivered through its own temporary files, with its own times and
// permissions) rather than what a copy made by the test would look like.
//
// Each daemon lives in a home under the test's temp folder, talks to
// 127.0.0.1 only (global and local discovery, relays, NAT traversal, usage
// and crash reporting and upgrades are off before it first starts), is
// configured through its REST API, and is stopped when the test ends.
// Where syncthing is not installed the test is skipped, saying so, unless
// SESS_REQUIRE_SYNCTHING=1 (CI sets it), which fails it instead.
//
// It is for tests only.
package syncthingtest
