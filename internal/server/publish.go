package server

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/sess-dev/sess/internal/replica"
)

// While Run serves and a shared folder is set, the server publishes this
// machine's part of the shared journal on every change of the store, as
// `sess-manage sync --watch` does (replica.Publisher): the store's
// fingerprint and its usage summaries' folder are looked at every
// publishEvery, so that a change is in the part within a second, and the
// manifest is written again every hour when nothing changed, so that the
// other machines do not take this one for silent. Publishing writes only
// into the shared folder (and machine.json, made as `sess-manage sync`
// makes it when a folder was given and the store has none): never into
// another machine's part, and nothing while the store has no folder. A
// failure is logged once per distinct error and tried again after
// publishRetry; it never stops the server.

const (
	publishEvery = 250 * time.Millisecond
	publishRetry = 5 * time.Second
)

// publishing is the state of the publishing loop.
type publishing struct {
	s       *Server
	version string
	p       *replica.Publisher
	last    string    // the stamp last published
	retryAt time.Time // after a failure, no try before
	said    warnOnce  // the failures logged
}

// publish publishes until ctx ends.
func (s *Server) publish(ctx context.Context, version string) {
	pub := &publishing{s: s, version: version}
	tick := time.NewTicker(publishEvery)
	defer tick.Stop()
	for {
		pub.once(time.Now())
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// once publishes if the store changed since the last publish, or the
// manifest is due.
func (pub *publishing) once(now time.Time) {
	if now.Before(pub.retryAt) {
		return
	}
	p, err := pub.publisher()
	if err != nil {
		pub.fail(err)
		return
	}
	if p == nil {
		return
	}
	stamp := pub.stamp()
	if stamp == pub.last && !p.Stale() {
		return
	}
	if _, err := p.Publish(); err != nil {
		pub.fail(err)
		return
	}
	pub.last = stamp
}

func (pub *publishing) fail(err error) {
	pub.retryAt = time.Now().Add(publishRetry)
	if msg := err.Error(); pub.said.first(msg) {
		fmt.Fprintf(pub.s.log, "sess-serve: publish to the shared folder: %s (tried again every %v)\n", msg, publishRetry)
	}
}

// stamp moves whenever what a publish copies could: the store's
// fingerprint, and its usage summaries' folder (a summary is renamed in).
func (pub *publishing) stamp() string {
	st := pub.s.st
	stamp := st.View().Fingerprint()
	if fi, err := os.Stat(st.Derived().Usage()); err == nil {
		stamp += fmt.Sprintf("u%d", fi.ModTime().UnixNano())
	}
	return stamp
}

// publisher is this machine's publisher as machine.json and the server's
// options say now: nil without a shared folder, or while the store has no
// folder. It is kept while the folder and the machine stay the same (it
// remembers the projects' git remotes).
func (pub *publishing) publisher() (*replica.Publisher, error) {
	st := pub.s.st
	if !st.View().Exists() {
		return nil, nil
	}
	m, err := st.Derived().Machine()
	if err != nil {
		return nil, err
	}
	dir := pub.s.shared.dir
	if dir == "" && m != nil {
		dir = m.SyncDir
	}
	if dir == "" {
		pub.p = nil
		return nil, nil
	}
	if m == nil {
		// A folder given to the server, and no identity yet: made as
		// sess-manage sync makes it.
		host, _ := os.Hostname()
		if m, err = st.Derived().UpdateMachine(host, nil); err != nil {
			return nil, fmt.Errorf("make this machine's identity: %w", err)
		}
	}
	if p := pub.p; p != nil && p.Dir == dir && *p.Machine == *m {
		return p, nil
	}
	pub.p = &replica.Publisher{St: st, Machine: m, Dir: dir, Version: pub.version}
	pub.last = "" // a new folder or name: published at once
	fmt.Fprintf(pub.s.log, "sess-serve: publishing this machine's journal (%q) to %s\n", m.Name, replica.PartOf(dir, m.ID))
	return pub.p, nil
}
