//go:build !unix

package usage

const syscallNonblock = 0
