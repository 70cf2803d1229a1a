// Package disk is the store's one door to the file system: guarded reads
// (no symlink, no FIFO or device, a size cap), mapped reads, atomic
// replacement and exclusive creation of files, folder listing and fsync,
// locks on sidecar files, and transactions that put several files in place
// together or not at all.
//
// It knows nothing of sessions or JSON; pkg/store says which files make up
// a change and in which order they go in.
package disk
