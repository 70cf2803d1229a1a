package transcript

import "golang.org/x/sys/unix"

// born is when the file was made, in nanoseconds.
func born(path string) (int64, bool) {
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return 0, false
	}
	return st.Btim.Nano(), true
}
