//go:build !unix

package search

import (
	"io"
	"os"
)

// mapFile reads the file where mapping it is not done.
func mapFile(f *os.File, size int64) (data []byte, release func(), err error) {
	data, err = io.ReadAll(io.LimitReader(f, size))
	return data, func() {}, err
}
