package journal

import (
	"reflect"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/store"
)

// TestHeartbeatProject: heartbeat-project touches only the newest active
// session (it was part of pkg/store's TestLifecycle).
func TestHeartbeatProject(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	old := mustCreate(t, s, "web", "first")
	s.Advance(time.Hour)
	sess, err := s.CreateSession(store.NewSession{Project: "web", Intent: "second", RoadmapRef: strp("R1"), GitBranch: "dev", WorktreeRoot: strp("/w")})
	if err != nil {
		t.Fatal(err)
	}
	// heartbeat-project touches only the newest active session.
	s.Advance(time.Hour)
	ids, err := s.HeartbeatProject("web")
	if err != nil || !reflect.DeepEqual(ids, []string{sess.SessionID}) {
		t.Fatalf("heartbeat-project: %v %v", ids, err)
	}
	if o, _ := s.View().Session(old.SessionID); o.LastHeartbeat != old.LastHeartbeat {
		t.Error("heartbeat-project must leave older active sessions alone")
	}
}
