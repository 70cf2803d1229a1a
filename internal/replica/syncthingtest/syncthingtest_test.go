package syncthingtest_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/replica/syncthingtest"
)

// TestShare: a file written into one daemon's copy of a shared folder
// appears, the same, in the other's, both ways.
func TestShare(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two syncthing daemons")
	}
	a, b := t.TempDir(), t.TempDir()
	c := syncthingtest.Start(t, 2)
	c.Share(t, "test", a, b)
	for _, tc := range []struct{ from, to, name string }{
		{a, b, "from-a.txt"},
		{b, a, "sub/from-b.txt"},
	} {
		want := "written at " + time.Now().String()
		src := filepath.Join(tc.from, filepath.FromSlash(tc.name))
		os.MkdirAll(filepath.Dir(src), 0o755)
		if err := os.WriteFile(src, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(tc.to, filepath.FromSlash(tc.name))
		syncthingtest.WaitFor(t, 30*time.Second, tc.name+" to reach "+dst, func() bool {
			have, err := os.ReadFile(dst)
			return err == nil && string(have) == want
		})
	}
}
