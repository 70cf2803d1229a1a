package syncthingtest

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// pollEvery is how often WaitFor looks again.
const pollEvery = 100 * time.Millisecond

// WaitFor polls cond until it holds, failing the test when it still does
// not after timeout; what says what was waited for ("B's copy of the
// session to have the event"), as the failure names it.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		<-tick.C
	}
}

// SkipIfMissing is the syncthing command on $PATH. Without one it skips
// the test, saying what to install, or fails it where
// SESS_REQUIRE_SYNCTHING=1 says syncthing must be there (CI).
func SkipIfMissing(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("syncthing")
	if err == nil {
		return bin
	}
	if os.Getenv("SESS_REQUIRE_SYNCTHING") == "1" {
		t.Fatalf("no syncthing on $PATH, and SESS_REQUIRE_SYNCTHING=1 requires it: %v", err)
	}
	t.Skip("syncthing is not on $PATH: this test replicates a folder between two real Syncthing daemons (apt-get install syncthing)")
	return ""
}
