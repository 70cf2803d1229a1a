//go:build !linux

package disk

import "os"

// ReadDirNames lists a folder's names.
func ReadDirNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}
