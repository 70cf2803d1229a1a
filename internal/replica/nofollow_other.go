//go:build !unix

package replica

const noFollow = 0
