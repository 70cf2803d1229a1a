package session

import (
	"errors"
	"testing"
)

func TestErrorCodeStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err    error
		code   Code
		status int
	}{
		{NotFound("x"), CodeNotFound, 404},
		{Invalid("f", "x"), CodeValidation, 400},
		{Conflict("x"), CodeConflict, 409},
		{TooLarge("x"), CodeTooLarge, 413},
		{errors.New("disk"), CodeStore, 500},
		{&Error{Code: CodeTooManyStreams}, CodeTooManyStreams, 503},
		{&Error{Code: CodeAddressInUse}, CodeAddressInUse, 500},
	} {
		if want, have := tc.code, ErrorCode(tc.err); want != have {
			t.Errorf("%v: want code %s, have %s", tc.err, want, have)
		}
		if want, have := tc.status, ErrorCode(tc.err).HTTPStatus(); want != have {
			t.Errorf("%v: want status %d, have %d", tc.err, want, have)
		}
	}
}
