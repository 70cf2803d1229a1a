// Package storetest holds what the tests of several packages need of a
// store on disk: a copy of the store the original tool wrote.
package storetest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Testdata is the repository's testdata folder.
func Testdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

// CopyOriginal copies the store the original wrote (testdata/original-store:
// 3 completed, 1 parked and 4 active sessions, 1 archived one) into a
// temp folder and returns its path.
func CopyOriginal(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	if err := CopyTree(filepath.Join(Testdata(), "original-store"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// CopyTree copies the folder src to dst: folders 0700, files 0600.
func CopyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
}
