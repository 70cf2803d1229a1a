// Package disk is the store's one door to the file system: guarded reads
// (no symlink, no FIFO or device, a size cap), mapped reads, atomic
// replacement and exclusive creation of files, folder listing and fsync,
// locks on sidecar files, and transactions that put several files in place
// together or not at all.
//
// It knows nothing of sessions or JSON, and names no file of the store:
// every path comes from its caller, and the only names it makes are its
// own temp files beside a target. pkg/store says which files make up a
// change and in which order they go in; pkg/store's subpackages (derived)
// may use it too, and nothing outside pkg/store can. Its system calls are
// os, syscall, golang.org/x/sys/unix and gofrs/flock; mapped reads (Linux
// only) turn a fault on a file cut short into ErrFault (Guarded).
package disk
