// Package parallel runs the store's many small independent jobs (reading
// and decoding session files, writing a long listing) on every core.
//
// It owns nothing and does no I/O of its own: it only spreads a function
// over goroutines, as many as there are cores, and waits for them.
package parallel
