package usage

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

type choice struct{ v string }

func (c *choice) String() string     { return c.v }
func (c *choice) Set(v string) error { return errors.New("want one of a, b") }
func (c *choice) ArgName() string    { return "WORD" }
func (c *choice) Choices() []string  { return []string{"a", "b"} }

func newFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("dashboard-dir", "", "store folder")
	fs.Int("limit", 20, "at most this many")
	fs.Bool("force", false, "rewrite")
	fs.Duration("interval", 15*time.Minute, "how often")
	fs.Float64("ratio", 0, "a ratio")
	fs.String("o", "", "output file")
	fs.Var(&choice{}, "status", "a status")
	return fs
}

func TestWrite(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	Write(&b, Doc{
		Description: "Do a thing.",
		Usage:       []string{"t [flags] <x>", "t --all"},
		Help:        "More words.\n",
		Commands:    [][2]string{{"run", "run it"}, {"version", "print the version"}},
		Flags:       newFlags(),
		Version:     true,
	})
	want := `DESCRIPTION
  Do a thing.

USAGE
  t [flags] <x>
  t --all

More words.

COMMANDS
  run      run it
  version  print the version

FLAGS
  --dashboard-dir TEXT  store folder
  --force               rewrite
  --interval DURATION   how often (default 15m0s)
  --limit N             at most this many (default 20)
  -o TEXT               output file
  --ratio NUMBER        a ratio
  --status WORD         a status: a, b
  --version             print the version and exit
`
	if have := b.String(); want != have {
		t.Errorf("want\n%s\nhave\n%s", want, have)
	}
}

func TestFlagError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-limit", "abc"}, `invalid value "abc" for --limit: want a whole number`},
		{[]string{"--limit=99999999999999999999"}, `invalid value "99999999999999999999" for --limit: too large`},
		{[]string{"--interval", "soon"}, `invalid value "soon" for --interval: want a duration such as 90s, 15m or 1h`},
		{[]string{"--ratio", "x"}, `invalid value "x" for --ratio: want a number`},
		{[]string{"--force=maybe"}, `invalid value "maybe" for --force: want true or false`},
		{[]string{"--status", "c"}, `invalid value "c" for --status: want one of a, b`},
		{[]string{"--bogus"}, "unknown flag --bogus"},
		{[]string{"-o"}, "flag -o needs a value"},
		{[]string{"--limit"}, "flag --limit needs a value"},
	} {
		fs := newFlags()
		err := fs.Parse(tc.args)
		if err == nil {
			t.Fatalf("%q: parsed", tc.args)
		}
		// As ff returns it: wrapped.
		if have := FlagError(fs, fmt.Errorf("error parsing commandline arguments: %w", err)); have != tc.want {
			t.Errorf("%q: want %q, have %q", tc.args, tc.want, have)
		}
	}
}

func TestWriteVersion(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if err := WriteVersion(&b, `v1.2.3-4-g"x`); err != nil {
		t.Fatal(err)
	}
	if want, have := "{\n  \"version\": \"v1.2.3-4-g\\\"x\"\n}\n", b.String(); want != have {
		t.Errorf("want %q, have %q", want, have)
	}
}
