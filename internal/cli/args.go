package cli

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// Strings is a multi-value flag written the argparse way: `--next-steps a b
// c`. Normalize turns that into one Set call per value, after a Set of
// startMark that opens the occurrence (so a repeated flag replaces, as in
// argparse, and a flag given with no values is still known to be given).
type Strings struct {
	Values  []string
	Given   bool
	AtLeast int // values required when given: 0 for nargs="*", 1 for "+"
}

// startMark opens an occurrence of a multi-value flag. No argument can hold
// a NUL byte, so it cannot be confused with a value.
const startMark = "\x00"

func (s *Strings) String() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.Values, " ")
}

// Set adds a value, or opens a new occurrence.
func (s *Strings) Set(v string) error {
	if v == startMark {
		s.Values, s.Given = []string{}, true
		return nil
	}
	s.Given = true
	s.Values = append(s.Values, v)
	return nil
}

// ArgName names the values in a usage text.
func (s *Strings) ArgName() string { return "TEXT ..." }

// OrNil returns the values, or nil when the flag was not given.
func (s *Strings) OrNil() []string {
	if !s.Given {
		return nil
	}
	return s.Values
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Normalize rewrites arguments written for Python's argparse into the form
// Go's flag package parses: every flag first, as --name=value, then "--",
// then the positional arguments. It accepts what argparse accepts:
// positionals before, between and after flags; --flag value and
// --flag=value; a unique prefix of a flag name (--proj for --project);
// multi-value flags whose values run until the next token that starts with
// "--"; and "--" ending the flags. -h and --help ask for usage. An unknown or
// ambiguous flag, or a missing value, is a usage error.
func Normalize(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		tok := args[i]
		if tok == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if tok == "-h" || tok == "-help" || tok == "--help" {
			flags = append(flags, "-h")
			continue
		}
		if (tok == "--version" || tok == "-version" || tok == "-v" && fs.Lookup("v") == nil) && fs.Lookup("version") == nil {
			return nil, ErrVersion
		}
		name, val, hasVal, isFlag := splitFlag(tok)
		if !isFlag {
			pos = append(pos, tok)
			continue
		}
		f, err := lookup(fs, name, strings.HasPrefix(tok, "--"))
		if err != nil {
			return nil, err
		}
		if f == nil { // a single-dash token that is no flag: a value such as -1
			pos = append(pos, tok)
			continue
		}
		switch {
		case isBool(f):
			if hasVal {
				if _, err := strconv.ParseBool(val); err != nil {
					return nil, fmt.Errorf("flag --%s takes no value or true/false (got %q)", f.Name, val)
				}
				flags = append(flags, "--"+f.Name+"="+val)
			} else {
				flags = append(flags, "--"+f.Name)
			}
		case isMulti(f):
			flags = append(flags, "--"+f.Name+"="+startMark)
			if hasVal {
				flags = append(flags, "--"+f.Name+"="+val)
			}
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++
				flags = append(flags, "--"+f.Name+"="+args[i])
			}
		default:
			if !hasVal {
				if i+1 >= len(args) || looksLikeFlag(fs, args[i+1]) {
					return nil, fmt.Errorf("flag --%s needs a value", f.Name)
				}
				i++
				val = args[i]
			}
			flags = append(flags, "--"+f.Name+"="+val)
		}
	}
	out := append(flags, "--")
	return append(out, pos...), nil
}

func isMulti(f *flag.Flag) bool {
	_, ok := f.Value.(*Strings)
	return ok
}

// splitFlag splits "--name=value" and "-name"; a lone "-" or a token not
// starting with "-" is no flag.
func splitFlag(tok string) (name, val string, hasVal, isFlag bool) {
	if len(tok) < 2 || tok[0] != '-' {
		return "", "", false, false
	}
	name = strings.TrimLeft(tok, "-")
	if len(tok)-len(name) > 2 || name == "" {
		return "", "", false, false
	}
	name, val, hasVal = strings.Cut(name, "=")
	return name, val, hasVal, true
}

// lookup finds a flag by exact name or, for a "--" flag, by unique prefix.
// For a single-dash token that names no flag it returns nil, nil.
func lookup(fs *flag.FlagSet, name string, long bool) (*flag.Flag, error) {
	if f := fs.Lookup(name); f != nil {
		return f, nil
	}
	if !long {
		return nil, nil
	}
	var matches []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) > 1 && strings.HasPrefix(f.Name, name) {
			matches = append(matches, f)
		}
	})
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, fmt.Errorf("unknown flag --%s", name)
	default:
		names := make([]string, len(matches))
		for i, m := range matches {
			names[i] = "--" + m.Name
		}
		return nil, fmt.Errorf("ambiguous flag --%s could be %s", name, strings.Join(names, ", "))
	}
}

// looksLikeFlag reports whether tok would be read as a flag rather than as
// the value of the flag before it.
func looksLikeFlag(fs *flag.FlagSet, tok string) bool {
	if tok == "--" {
		return true
	}
	name, _, _, isFlag := splitFlag(tok)
	if !isFlag || !strings.HasPrefix(tok, "--") {
		return false
	}
	f, err := lookup(fs, name, true)
	return f != nil && err == nil
}

// CheckMulti reports a multi-value flag given with fewer values than it needs.
func CheckMulti(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if m, ok := f.Value.(*Strings); ok && err == nil && len(m.Values) < m.AtLeast {
			err = fmt.Errorf("flag --%s needs at least %d value(s)", f.Name, m.AtLeast)
		}
	})
	return err
}
