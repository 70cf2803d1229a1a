//go:build !linux && !darwin

package window

// Current is "" where the system gives no way to identify the window.
func Current() ID { return "" }

// Of is "" where there is no identity.
func Of(int) ID { return "" }

// Alive is false where there is no identity.
func Alive(ID) bool { return false }
