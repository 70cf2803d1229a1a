package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tempSuffix ends the name of a temp file of Replace: ".<target>.<digits>.tmp".
const tempSuffix = ".tmp"

// TempOf is the target whose temp file name is, if it is one (a writer
// killed before its rename leaves it behind).
func TempOf(name string) (target string, ok bool) {
	rest, ok := strings.CutPrefix(name, ".")
	if !ok {
		return "", false
	}
	if rest, ok = strings.CutSuffix(rest, tempSuffix); !ok {
		return "", false
	}
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 || i == len(rest)-1 || strings.Trim(rest[i+1:], "0123456789") != "" {
		return "", false
	}
	return rest[:i], true
}

// WriteFile replaces path with data, making its folder (0700) if need be.
// Whatever was at path (a file, a symlink, a FIFO) is replaced, never
// written through; a reader sees the old file or the new one.
func WriteFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return Replace(path, data)
}

// Replace is WriteFile in a folder that must exist already: a file the
// user names (an export's -o) never makes folders on the way.
func Replace(path string, data []byte) error {
	return ReplaceFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// ReplaceFunc is Replace with what write writes, streamed to the temp
// file: a long export is never held whole. An error of write leaves path
// as it was.
func ReplaceFunc(path string, write func(w io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*"+tempSuffix)
	if err != nil {
		return err
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = write(bw); err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o600)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
