package journal

import (
	"os"
	"testing"

	"github.com/sess-dev/sess/pkg/store"
)

// TestLaunchIntentIsTheOriginals: register-launch writes the original's
// placeholder byte for byte (as in the store the original wrote).
func TestLaunchIntentIsTheOriginals(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../testdata/original-store/sessions/sess_20261125T0917_d212.json")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := store.DecodeSession(data)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestStore(t)
	sess, created, err := s.RegisterLaunch(Launch{ClaudeSessionID: "c-1", Project: "/src/web"})
	if err != nil || !created {
		t.Fatalf("register-launch: %v (created %v)", err, created)
	}
	if want, have := orig.Intent, sess.Intent; want != have {
		t.Errorf("intent: the original's %q, sess %q", want, have)
	}
	for _, intent := range []string{orig.Intent, "(launched — intent not set yet)"} {
		if !IsLaunchIntent(intent) {
			t.Errorf("%q is not taken for a placeholder", intent)
		}
	}
	if IsLaunchIntent("Fix the login") {
		t.Error("a real intent is taken for a placeholder")
	}
}
