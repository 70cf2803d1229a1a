package cli

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
)

type testFlags struct {
	fs      *flag.FlagSet
	message string
	force   bool
	steps   *Strings
	project string
	phase   string
}

func newTestFlags() *testFlags {
	tf := &testFlags{fs: flag.NewFlagSet("t", flag.ContinueOnError), steps: &Strings{}}
	tf.fs.SetOutput(io.Discard)
	tf.fs.StringVar(&tf.message, "message", "", "")
	tf.fs.BoolVar(&tf.force, "force", false, "")
	tf.fs.Var(tf.steps, "next-steps", "")
	tf.fs.StringVar(&tf.project, "project", "", "")
	tf.fs.StringVar(&tf.phase, "phase", "", "")
	tf.fs.StringVar(&tf.phase, "o", "", "")
	return tf
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		pos     []string
		message string
		force   bool
		steps   []string
		given   bool
		wantErr string
	}{
		{args: []string{"id", "--message", "m"}, pos: []string{"id"}, message: "m"},
		{args: []string{"--message", "m", "id"}, pos: []string{"id"}, message: "m"},
		{args: []string{"--message=m=x", "id"}, pos: []string{"id"}, message: "m=x"},
		{args: []string{"--mess", "-5", "id"}, pos: []string{"id"}, message: "-5"},
		{args: []string{"-message", "m"}, message: "m"},
		{args: []string{"id", "--force", "--next-steps", "a", "-b", "c d", "--message", "m"}, pos: []string{"id"}, message: "m", force: true, steps: []string{"a", "-b", "c d"}, given: true},
		{args: []string{"--next-steps"}, steps: []string{}, given: true},
		{args: []string{"--next-steps", "a", "--next-steps", "b"}, steps: []string{"b"}, given: true},
		{args: []string{"--next-steps=a", "b"}, steps: []string{"a", "b"}, given: true},
		{args: []string{"--", "--message", "x"}, pos: []string{"--message", "x"}},
		{args: []string{"-", "-1"}, pos: []string{"-", "-1"}},
		{args: []string{"--message"}, wantErr: "needs a value"},
		{args: []string{"--message", "--force"}, wantErr: "needs a value"},
		{args: []string{"--bogus"}, wantErr: "unknown flag --bogus"},
		{args: []string{"--p", "x"}, wantErr: "ambiguous"},
	} {
		tf := newTestFlags()
		out, err := Normalize(tf.fs, tc.args)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: want error %q, have %v", tc.args, tc.wantErr, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if err := tf.fs.Parse(out); err != nil {
			t.Errorf("%q: parse %q: %v", tc.args, out, err)
			continue
		}
		pos := tf.fs.Args()
		if len(pos) == 0 {
			pos = nil
		}
		if !reflect.DeepEqual(pos, tc.pos) || tf.message != tc.message || tf.force != tc.force || tf.steps.Given != tc.given || (tc.given && !reflect.DeepEqual(tf.steps.Values, tc.steps)) {
			t.Errorf("%q: have pos %q message %q force %v steps %q (given %v)", tc.args, pos, tf.message, tf.force, tf.steps.Values, tf.steps.Given)
		}
	}
}

// FuzzNormalize: for any arguments Normalize either refuses them or yields
// arguments the flag package parses, keeping every positional argument.
func FuzzNormalize(f *testing.F) {
	f.Add("id\x01--message\x01m\x01--next-steps\x01a\x01b")
	f.Add("--mess=x\x01--\x01--force")
	f.Add("-o\x01file\x01--proj\x01p")
	f.Fuzz(func(t *testing.T, joined string) {
		if strings.ContainsRune(joined, 0) {
			return // no argument can hold a NUL byte
		}
		args := strings.Split(joined, "\x01")
		tf := newTestFlags()
		out, err := Normalize(tf.fs, args)
		if err != nil {
			return
		}
		if err := tf.fs.Parse(out); err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("Normalize(%q) = %q, which does not parse: %v", args, out, err)
		}
		// Every positional argument comes out in order.
		var want []string
		for i := 0; i < len(args); i++ {
			if args[i] == "--" {
				want = append(want, args[i+1:]...)
				break
			}
		}
		have := tf.fs.Args()
		if len(want) > 0 && (len(have) < len(want) || !reflect.DeepEqual(have[len(have)-len(want):], want)) {
			t.Fatalf("positionals after --: want %q at the end of %q", want, have)
		}
	})
}
