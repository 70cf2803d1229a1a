package main

import (
	"context"
	"os"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// machine shows this machine's identity in the store (machine.json),
// making it the first time, and names it.
func (a *app) machine() *ffcli.Command {
	return a.command(spec{
		name: "machine", usage: "[name NAME]", args: []string{"name", "NAME"}, optionalArgs: 2,
		help: "this machine's identity in a journal several machines share: its id (made once) and name (the host name unless set)",
		run: func(ctx context.Context, args []string) (any, error) {
			var rename func(*derived.Machine) error
			switch {
			case len(args) == 0:
			case args[0] != "name" || len(args) != 2:
				return nil, cli.Usagef("machine takes nothing, or name NAME")
			default:
				rename = func(m *derived.Machine) error {
					m.Name = derived.CleanMachineName(args[1])
					return nil
				}
			}
			host, _ := os.Hostname()
			return a.store().Derived().UpdateMachine(host, rename)
		},
	})
}
