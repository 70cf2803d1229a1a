//go:build !linux

package disk

import "os"

// syncData makes a new file's data durable (F_FULLFSYNC on macOS).
func syncData(f *os.File) error { return f.Sync() }
