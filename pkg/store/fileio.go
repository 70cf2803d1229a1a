package store

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// MaxFileSize is the largest session, project or config file read or
// written; a bigger one is refused. It is the original's cap.
const MaxFileSize = 10 << 20

// MaxIndexSize is the largest index read or written. The original reads no
// index over MaxFileSize; sess reads and writes bigger ones (100,000
// sessions with long intents), and says so once, so that no store has a
// cliff where every command rebuilds the index.
const MaxIndexSize = 1 << 30

const (
	dirPerm  = disk.DirPerm
	filePerm = disk.FilePerm
	tmpExt   = disk.TmpExt
)

// readFile reads a store file with the checks of every store read: no
// symlink, no FIFO or device, at most MaxFileSize.
func readFile(path string) ([]byte, error) { return disk.ReadFile(path, MaxFileSize) }

// readFileInto is readFile into buf's memory when it is big enough.
func readFileInto(path string, buf []byte) ([]byte, error) {
	return disk.ReadFileInto(path, buf, MaxFileSize)
}

// writeAtomic replaces path with data, whole or not at all.
func writeAtomic(path string, data []byte) error { return disk.WriteAtomic(path, data) }

func exists(path string) bool                   { return disk.Exists(path) }
func removeIfExists(path string) error          { return disk.Remove(path) }
func readDirNames(dir string) ([]string, error) { return disk.ReadDirNames(dir) }

// marshal encodes a store file as the original writes it: 2-space indent,
// no HTML escaping, a trailing newline; a session with the fast writer of
// its field table. (The tools' output is package jsonout's.)
func marshal(v any) ([]byte, error) {
	if sess, ok := v.(*session.Session); ok && sess != nil {
		w := codec.NewWriter(4096)
		codec.WriteSession(w, sess)
		return append(w.Bytes(), '\n'), nil
	}
	return codec.Marshal(v)
}

// writeSynced replaces the content of a small file (a marker) and syncs it,
// so that a repair after a crash reads what was written.
func writeSynced(path string, data []byte) error { return disk.WriteSynced(path, data, filePerm) }
