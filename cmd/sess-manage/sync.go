package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// watchEvery is how often sync --watch looks at the store: a change is
// published within it and the publish's time.
const watchEvery = 250 * time.Millisecond

// syncCmd publishes this machine's journal into the shared folder, once
// or on every change, and sets the folder up.
func (a *app) syncCmd() *ffcli.Command {
	var watch bool
	return a.command(spec{
		name: "sync", usage: "[init DIR] [--watch]", args: []string{"init", "DIR"}, optionalArgs: 2,
		help: "share the journal with your other machines through a replicated folder (Syncthing): init DIR sets it, sync publishes this machine's part and lists the others'",
		long: "Each machine publishes its own journal into DIR/machines/<machine-id>/ and reads\n" +
			"the other machines' parts; a replicator (Syncthing, or any folder sync) keeps DIR\n" +
			"the same everywhere. $SESS_SYNC_DIR overrides the folder init set. The hooks\n" +
			"never publish: sync does once, sync --watch on every change (within a second),\n" +
			"and sess-serve while it runs.",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&watch, "watch", false, "publish on every change of the store, until stopped")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			if len(args) > 0 {
				if args[0] != "init" || len(args) != 2 || watch {
					return nil, cli.Usagef("sync takes init DIR, or nothing (and --watch)")
				}
				return a.syncInit(args[1])
			}
			p, err := a.publisher()
			if err != nil {
				return nil, err
			}
			if watch {
				return nil, a.watchPublish(ctx, p)
			}
			res, err := p.Publish()
			if err != nil {
				return nil, err
			}
			return syncOut{Published: res, Machine: p.Machine.Name, Others: a.othersOut(p)}, nil
		},
	})
}

type syncOut struct {
	replica.Published
	Machine string      `json:"machine"`
	Others  []otherPart `json:"others"`
}

type otherPart struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	PublishedAt string `json:"published_at"`
	Stale       bool   `json:"stale"`
}

func (a *app) syncInit(dir string) (any, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, "machines"), 0o755); err != nil {
		return nil, &session.Error{Code: session.CodeStore, Message: "make the shared folder " + abs, Err: err}
	}
	host, _ := os.Hostname()
	m, err := a.store().Derived().UpdateMachine(host, func(m *derived.Machine) error {
		m.SyncDir = abs
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]string{"machine_id": m.ID, "name": m.Name, "sync_dir": abs, "part": replica.PartOf(abs, m.ID)}, nil
}

// syncDir is the shared folder: $SESS_SYNC_DIR, else machine.json's.
func (a *app) syncDir(m *derived.Machine) string {
	if d := a.getenv("SESS_SYNC_DIR"); d != "" {
		return d
	}
	if m != nil {
		return m.SyncDir
	}
	return ""
}

// publisher is this machine's publisher; an error when no shared folder is
// set.
func (a *app) publisher() (*replica.Publisher, error) {
	host, _ := os.Hostname()
	m, err := a.store().Derived().Machine()
	if err != nil {
		return nil, err
	}
	if m == nil {
		if m, err = a.store().Derived().UpdateMachine(host, nil); err != nil {
			return nil, err
		}
	}
	dir := a.syncDir(m)
	if dir == "" {
		return nil, &session.Error{Code: session.CodeValidation, Field: "sync_dir", Message: "no shared folder: run 'sess-manage sync init DIR' (or set SESS_SYNC_DIR)"}
	}
	return &replica.Publisher{St: a.store(), Machine: m, Dir: dir, Version: cli.Version(version),
		CursorFile: filepath.Join(a.store().Derived().Machines(), "published")}, nil
}

func (a *app) othersOut(p *replica.Publisher) []otherPart {
	r := &replica.Reader{Dir: p.Dir, SelfID: p.Machine.ID, Cache: a.store().Derived().Machines(), Warnf: a.warnf}
	out := []otherPart{}
	for _, m := range r.Others() {
		out = append(out, otherPart{m.ID, m.Name, m.PublishedAt.UTC().Format(time.RFC3339), m.Stale})
	}
	return out
}

// watchPublish publishes now and whenever the store changes, until ctx
// ends or the process is told to stop.
func (a *app) watchPublish(ctx context.Context, p *replica.Publisher) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer cli.LongRunning()()
	last := ""
	tick := time.NewTicker(watchEvery)
	defer tick.Stop()
	for {
		if fp := a.store().View().Fingerprint(); fp != last || p.Stale() {
			res, err := p.Publish()
			if err != nil {
				fmt.Fprintf(a.stderr, "sess-manage sync: %v\n", err)
			} else {
				last = fp
				if res.Copied+res.Removed > 0 {
					fmt.Fprintf(a.stderr, "sess-manage sync: published %d files, removed %d, to %s\n", res.Copied, res.Removed, res.Dir)
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// journal is every machine's journal as this one reads it: the store, and
// the other machines' parts of the shared folder, if one is set. The parts
// are found once per command, so that a command warns of a bad one once.
func (a *app) journal() *replica.Journal {
	if a.shared != nil {
		return a.shared
	}
	j := &replica.Journal{Local: a.store()}
	a.shared = j
	m, err := a.store().Derived().Machine()
	if err != nil {
		a.warnf("%v", err)
	}
	dir := a.syncDir(m)
	if dir == "" {
		return j
	}
	self := ""
	if m != nil {
		self = m.ID
	}
	r := &replica.Reader{Dir: dir, SelfID: self, Cache: a.store().Derived().Machines(), Now: a.store().View().Now, Warnf: a.warnf}
	j.Others = r.Others()
	return j
}

// notYours turns a change's "no such session" into "it is another
// machine's" when another machine's part has it.
func (a *app) notYours(id string, err error) error {
	var se *session.Error
	if !errors.As(err, &se) || se.Code != session.CodeNotFound {
		return err
	}
	if m := a.journal().Owner(id); m != nil {
		return replica.NotYours(id, m)
	}
	return err
}
