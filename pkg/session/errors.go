package session

import (
	"errors"
	"fmt"
)

// Code classifies an error for the command line and the web API. The JSON
// errors of both carry it as "code".
type Code string

// The error codes of the contract.
const (
	CodeNotFound   Code = "NOT_FOUND"        // no such session, project or file
	CodeValidation Code = "VALIDATION_ERROR" // bad input; nothing was written
	CodeConflict   Code = "CONFLICT"         // the record is not in a state that allows it
	CodeStore      Code = "STORE_ERROR"      // the store could not be read or written
	CodeTooLarge   Code = "TOO_LARGE"        // the write would make a file too big to read; nothing was written

	CodeAddressInUse   Code = "ADDRESS_IN_USE"   // sess-serve: another program listens on the address
	CodeTooManyStreams Code = "TOO_MANY_STREAMS" // sess-serve: every event stream is taken; the page polls
	CodeShuttingDown   Code = "SHUTTING_DOWN"    // sess-serve: the server is stopping
)

// Error is an application error: a code and a message for humans. Field names
// the input at fault for validation errors.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error // underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, else CodeStore (an I/O or other unexpected failure).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeStore
}

// HTTPStatus is the web API's status for an error of code c; the command
// line exits 1 for all of them (internal/cli). Both read this one map.
func (c Code) HTTPStatus() int {
	switch c {
	case CodeNotFound:
		return 404
	case CodeValidation:
		return 400
	case CodeConflict:
		return 409
	case CodeTooLarge:
		return 413
	case CodeTooManyStreams, CodeShuttingDown:
		return 503
	}
	return 500
}

func Invalid(field, format string, args ...any) error {
	return &Error{Code: CodeValidation, Field: field, Message: fmt.Sprintf(format, args...)}
}

func NotFound(format string, args ...any) error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

func TooLarge(format string, args ...any) error {
	return &Error{Code: CodeTooLarge, Message: fmt.Sprintf(format, args...)}
}

func Conflict(format string, args ...any) error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}
