package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/exporter"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/jsonout"
)

func (a *app) export() *ffcli.Command {
	format := &cli.Choice{Allowed: []string{"json", "markdown"}, Value: "json", Name: "FORMAT"}
	var output string
	var archived bool
	return a.command(spec{
		name: "export", usage: "<session-id|project-slug> [--format json|markdown] [-o FILE] [--include-archived]",
		args: []string{"target"},
		help: "export a session or a project's sessions as JSON or Markdown",
		flags: func(fs *flag.FlagSet) {
			fs.Var(format, "format", "the output format")
			fs.StringVar(&output, "o", "", "write to this file instead of stdout")
			fs.StringVar(&output, "output", "", "same as -o")
			fs.BoolVar(&archived, "include-archived", false, "include archived sessions (project export)")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			v, err := exporter.TargetIn(replica.Sessions{J: a.journal()}, args[0], format.Value, archived, 0, a.costConfig(usage.Auto, "").Of)
			if err != nil {
				return nil, err
			}
			md, isMarkdown := v.(exporter.Markdown)
			if output == "" {
				if isMarkdown {
					// The original prints the document with print(), which
					// adds a line after its last one.
					return raw(md + "\n"), nil
				}
				return v, nil
			}
			data := []byte(md)
			if !isMarkdown {
				if data, err = jsonout.Marshal(v); err != nil {
					return nil, err
				}
			}
			if err := exporter.WriteFile(output, data); err != nil {
				return nil, &session.Error{Code: session.CodeStore, Message: "write " + output, Err: err}
			}
			return map[string]string{"status": "exported", "file": output}, nil
		},
	})
}

// exportAll is the original's export-all, running sess-export --all.
func (a *app) exportAll() *ffcli.Command {
	var outputDir, project, since string
	var force, flat bool
	return a.command(spec{
		name: "export-all", usage: "[--output-dir DIR] [--project SLUG] [--since YYYY-MM-DD] [--force] [--flat]",
		help: "export every parked and completed session as Markdown with front matter (as sess-export --all)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&outputDir, "output-dir", "", "the folder (default ~/.claude/session-exports)")
			fs.StringVar(&project, "project", "", "only this project")
			fs.StringVar(&since, "since", "", "only sessions started on or after this day")
			fs.BoolVar(&force, "force", false, "rewrite files that are up to date")
			fs.BoolVar(&flat, "flat", false, "no folder per project")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			home, _ := os.UserHomeDir()
			if h := a.getenv("HOME"); h != "" {
				home = h
			}
			if outputDir == "" {
				outputDir = exporter.DefaultOutputDir(home)
			}
			return exporter.All(ctx, a.store(), exporter.Options{
				OutputDir: outputDir, Project: project, Since: since, Force: force, Flat: flat, Progress: a.stderr,
				Transcripts: exporter.DefaultTranscripts(home), Costs: a.costConfig(usage.Auto, "").Of,
			})
		},
	})
}

func (a *app) exportPrune() *ffcli.Command {
	var outputDir string
	days := optInt{}
	var dryRun bool
	return a.command(spec{
		name: "export-prune", usage: "--older-than DAYS [--output-dir DIR] [--dry-run]", required: []string{"older-than"},
		help: "remove session exports whose session ended (else started) more than DAYS ago, as the original's cleanup_exports.py",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&days, "older-than", "age in days")
			fs.StringVar(&outputDir, "output-dir", "", "the exports folder (default ~/.claude/session-exports)")
			fs.BoolVar(&dryRun, "dry-run", false, "list what would go; remove nothing")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			if outputDir == "" {
				home, _ := os.UserHomeDir()
				outputDir = exporter.DefaultOutputDir(home)
			}
			return exporter.Prune(outputDir, days.n, dryRun, a.store().View().Now())
		},
	})
}

// serve is the original's serve: it becomes sess-serve (exec), so that
// sess-manage carries no web server and starts as fast as the other tools.
func (a *app) serve() *ffcli.Command {
	var host string
	var port int
	return a.command(spec{
		name: "serve", usage: "[--host 127.0.0.1] [--port 9000]",
		help: "serve the dashboard (runs sess-serve, which must be next to sess-manage or on PATH)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&host, "host", "127.0.0.1", "address to listen on")
			fs.IntVar(&port, "port", 0, "port (default config.json's dashboard_port)")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			st := a.store()
			if port == 0 {
				port = st.View().Config().Settings.DashboardPort
			}
			// sess-serve would name its own flag, --addr, which this
			// command does not have.
			if portInUse(host, port) {
				return nil, &session.Error{Code: session.CodeAddressInUse, Message: fmt.Sprintf("port %d of %s is in use (another sess-serve, or another program, listens there); stop it or choose another with --port", port, host)}
			}
			bin, err := findTool("sess-serve")
			if err != nil {
				return nil, err
			}
			argv := []string{bin, "--dashboard-dir", a.storeDir(), "--addr", joinHostPort(host, port)}
			if err := syscall.Exec(bin, argv, os.Environ()); err != nil {
				return nil, fmt.Errorf("run %s: %w", bin, err)
			}
			return raw(""), nil // not reached
		},
	})
}

// portInUse reports whether an IPv4 address's port is taken, by binding it
// for a moment (through syscall: net's start-up would cost every command).
// Other hosts are left to sess-serve to find out.
func portInUse(host string, port int) bool {
	var addr [4]byte
	parts := strings.Split(host, ".")
	if len(parts) != 4 || port <= 0 || port > 65535 {
		return false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 {
			return false
		}
		addr[i] = byte(n)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	return syscall.Bind(fd, &syscall.SockaddrInet4{Port: port, Addr: addr}) == syscall.EADDRINUSE
}

// joinHostPort is net.JoinHostPort, without net's start-up cost.
func joinHostPort(host string, port int) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(port)
}

// findTool finds another sess binary: next to this one first (installed
// together), else on PATH.
func findTool(name string) (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not next to sess-manage nor on PATH (make install puts it there): %w", name, err)
	}
	return p, nil
}
