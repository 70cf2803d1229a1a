package disk

import (
	"errors"
	"runtime/debug"
)

// ErrFault reports a mapped file cut short while it was read.
var ErrFault = errors.New("file changed in place while mapped")

// Guarded runs fn, which reads a mapping, and turns a fault there (the file
// was cut short under the mapping) into ErrFault.
func Guarded(fn func() error) (err error) {
	defer guardFault(debug.SetPanicOnFault(true), &err)
	return fn()
}

func guardFault(old bool, err *error) {
	debug.SetPanicOnFault(old)
	if r := recover(); r != nil {
		if _, fault := r.(interface{ Addr() uintptr }); !fault {
			panic(r)
		}
		*err = ErrFault
	}
}
