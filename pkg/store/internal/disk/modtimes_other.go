//go:build !linux

package disk

import (
	"path/filepath"
	"time"

	"github.com/sess-dev/sess/pkg/store/internal/parallel"
)

// ModTimes sets times[i] to when the file names[i] of folder dir (not
// followed) last changed, the zero time when it cannot be looked at.
func ModTimes(dir string, names []string, times []time.Time) {
	parallel.Do(len(names), func(i int) {
		times[i], _ = ModTime(filepath.Join(dir, names[i]))
	})
}
