package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/jsonout"
)

// UsageError is a command line that cannot be run: an unknown command or
// flag, a bad flag value, a missing argument. The binaries exit 2 with the
// message (and mostly the usage) on stderr.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef makes a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Reported wraps an error whose JSON has already been printed, so that main
// only maps it to an exit code.
type Reported struct{ Err error }

func (e *Reported) Error() string { return e.Err.Error() }
func (e *Reported) Unwrap() error { return e.Err }

// ExitCode is the one mapping from a run error to an exit status: 0 done (or
// help or the version asked for), 2 bad usage, 1 a failed operation.
func ExitCode(err error) int {
	var u *UsageError
	switch {
	case err == nil, answered(err):
		return 0
	case errors.As(err, &u):
		return 2
	default:
		return 1
	}
}

// ErrorJSON is the JSON of a failed operation, on the command line and the
// web alike.
type ErrorJSON struct {
	Error string       `json:"error"`
	Code  session.Code `json:"code"`
}

// ErrorOf makes the JSON of err: its message and its store code.
func ErrorOf(err error) ErrorJSON {
	return ErrorJSON{Error: err.Error(), Code: session.ErrorCode(err)}
}

// WriteJSON prints v as every sess tool prints JSON.
func WriteJSON(w io.Writer, v any) error {
	b, err := jsonout.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Fail prints err as JSON on w and returns it marked as reported.
func Fail(w io.Writer, err error) error {
	WriteJSON(w, ErrorOf(err))
	return &Reported{Err: err}
}

// Version is the version a binary was built as: the one the Makefile set,
// else the module version go install recorded, else "dev".
func Version(set string) string {
	return usage.Version(set)
}
