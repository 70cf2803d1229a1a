package store

import "github.com/sess-dev/sess/pkg/store/internal/disk"

// ErrCorrupt marks a file on disk that cannot be used: invalid JSON, a wrong
// type, a symlink, not a regular file, or over MaxFileSize. Listings skip such
// files with a warning.
var ErrCorrupt = disk.ErrUnusable
