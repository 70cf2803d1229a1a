package exporter

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// PruneResult is what export-prune removed, or would remove.
type PruneResult struct {
	ExportsDir string   `json:"exports_dir"`
	DryRun     bool     `json:"dry_run"`
	Deleted    int      `json:"deleted"`
	Files      []string `json:"files"`   // removed (or, on a dry run, due), relative to the folder
	Skipped    int      `json:"skipped"` // Markdown files that are not a session's export, or have no date
}

// Prune removes the session exports (Markdown files whose front matter
// names a session) under dir that ended (else started) more than days
// ago, then the project folders left empty, as the original's
// cleanup_exports.py does for data-retention rules. It never follows a
// symbolic link and leaves every other file alone.
func Prune(dir string, days int, dryRun bool, now time.Time) (*PruneResult, error) {
	if err := session.ValidateDays(days); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(abs); err != nil || !fi.IsDir() {
		return nil, session.NotFound("no exports folder at %s", abs)
	}
	res := &PruneResult{ExportsDir: abs, DryRun: dryRun, Files: []string{}}
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	var due []string
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() || !strings.HasSuffix(d.Name(), ".md") {
			return nil // an unreadable folder, a link, or not an export: left alone
		}
		when, ok := exportDate(p)
		if !ok {
			res.Skipped++
			return nil
		}
		if when.Before(cutoff) {
			due = append(due, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(due)
	for _, p := range due {
		rel, _ := filepath.Rel(abs, p)
		if !dryRun {
			if err := os.Remove(p); err != nil {
				continue
			}
			res.Deleted++
		}
		res.Files = append(res.Files, filepath.ToSlash(rel))
	}
	if !dryRun {
		removeEmptyDirs(abs)
	}
	return res, nil
}

// exportDate is when an export's session ended, else started, from its
// front matter; false for a file that is not a session's export.
func exportDate(path string) (time.Time, bool) {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != "---" {
		return time.Time{}, false
	}
	fields := map[string]string{}
	for n := 0; sc.Scan() && n < 50; n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "---" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		}
		fields[strings.TrimSpace(k)] = v
	}
	if session.ValidateSessionID(fields["session_id"]) != nil {
		return time.Time{}, false
	}
	for _, k := range []string{"ended_at", "started_at"} {
		if t, err := session.ParseTime(fields[k]); err == nil && fields[k] != "" {
			return t, true
		}
	}
	return time.Time{}, false
}

// removeEmptyDirs removes the folders under dir (not dir) left empty.
func removeEmptyDirs(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			p := filepath.Join(dir, e.Name())
			removeEmptyDirs(p)
			os.Remove(p) // fails, as it should, when something is left
		}
	}
}
