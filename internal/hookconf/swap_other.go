//go:build !linux

package hookconf

import (
	"fmt"
	"os"
)

// swapIn renames tmp over path. Without Linux's renameat2 there is no
// exchange to check afterwards: the look just before is all there is.
func swapIn(tmp, path string, _ state) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
