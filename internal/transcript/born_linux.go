package transcript

import "golang.org/x/sys/unix"

// born is when the file was made, in nanoseconds, if the file system says.
func born(path string) (int64, bool) {
	var st unix.Statx_t
	if unix.Statx(unix.AT_FDCWD, path, 0, unix.STATX_BTIME, &st) != nil || st.Mask&unix.STATX_BTIME == 0 {
		return 0, false
	}
	return st.Btime.Sec*1e9 + int64(st.Btime.Nsec), true
}
