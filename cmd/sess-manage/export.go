package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/store"
)

func (a *app) export() *ffcli.Command {
	var format, output string
	var archived bool
	return a.command(spec{
		name: "export", usage: "<session-id|project-slug> [--format json|markdown] [-o FILE] [--include-archived]",
		args: []string{"target"},
		help: "export a session or a project's sessions as JSON or Markdown",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&format, "format", "json", "json or markdown")
			fs.StringVar(&output, "o", "", "write to this file instead of stdout")
			fs.StringVar(&output, "output", "", "same as -o")
			fs.BoolVar(&archived, "include-archived", false, "include archived sessions (project export)")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			if format != "json" && format != "markdown" {
				return nil, &store.Error{Code: store.CodeValidation, Field: "format", Message: fmt.Sprintf("want json or markdown (got %q)", format)}
			}
			v, err := a.exportTarget(args[0], format, archived)
			if err != nil {
				return nil, err
			}
			if output == "" {
				return v, nil
			}
			var data []byte
			if md, ok := v.(raw); ok {
				data = []byte(md)
			} else if data, err = store.Marshal(v); err != nil {
				return nil, err
			}
			if err := writeExport(output, data); err != nil {
				return nil, err
			}
			return map[string]string{"status": "exported", "file": output}, nil
		},
	})
}

// exportTarget formats a session (a target starting with sess_) or every
// session of a project.
func (a *app) exportTarget(target, format string, archived bool) (any, error) {
	st := a.store()
	if strings.HasPrefix(target, "sess_") {
		sess, err := st.Session(target)
		if err != nil {
			return nil, err
		}
		if format == "markdown" {
			return raw(export.SessionMarkdown(sess, 1)), nil
		}
		return export.Session(sess), nil
	}
	sessions, err := st.List(store.Filter{Project: target, IncludeArchived: archived})
	if err != nil {
		return nil, err
	}
	if len(sessions) == 0 {
		return nil, &store.Error{Code: store.CodeNotFound, Message: fmt.Sprintf("no sessions found for project %s", target)}
	}
	if format == "markdown" {
		return raw(export.ProjectMarkdown(target, sessions)), nil
	}
	return export.Project(target, sessions, st.Now()), nil
}

// writeExport writes an export file atomically with mode 0600.
func writeExport(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return &store.Error{Code: store.CodeStore, Message: "write " + path, Err: err}
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return &store.Error{Code: store.CodeStore, Message: "write " + path, Err: err}
	}
	return nil
}
