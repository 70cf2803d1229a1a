package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestDocGo checks that every package of the module but a command keeps
// its package comment, "// Package <name> ...", in a doc.go and nowhere
// else: the one place to read what a package owns and may not touch, and
// no second comment for go doc to glue onto it.
func TestDocGo(t *testing.T) {
	root := moduleRoot(t)
	pkgs, err := packages(root)
	if err != nil {
		t.Fatal(err)
	}
	var offenders []string
	for _, p := range pkgs {
		if p.name == "main" {
			continue
		}
		if problems := p.docProblems(); len(problems) > 0 {
			offenders = append(offenders, fmt.Sprintf("%s (package %s): %s", p.dir, p.name, strings.Join(problems, "; ")))
		}
	}
	if len(offenders) > 0 {
		t.Errorf("%d package(s) without their package comment in doc.go alone:\n\t%s",
			len(offenders), strings.Join(offenders, "\n\t"))
	}
}

// pkg is what the test needs of a folder's package: its name, and the
// package comment of each non-test file.
type pkg struct {
	dir  string            // relative to the module root, slash-separated
	name string            // the package clause of its non-test files
	docs map[string]string // file name → its package comment ("" for none)
}

// docProblems says what is wrong with where p keeps its package comment.
func (p *pkg) docProblems() []string {
	var problems []string
	want := "Package " + p.name + " "
	doc, ok := p.docs["doc.go"]
	switch {
	case !ok:
		problems = append(problems, "no doc.go")
	case !strings.HasPrefix(doc, want):
		problems = append(problems, fmt.Sprintf("doc.go's package comment does not begin %q", "// "+want+"..."))
	}
	var others []string
	for name, doc := range p.docs {
		if name != "doc.go" && doc != "" {
			others = append(others, name)
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		problems = append(problems, "package comment in "+strings.Join(others, ", ")+" (it belongs in doc.go alone)")
	}
	return problems
}

// packages parses the package clause and comments of every non-test Go
// file under root, by folder; testdata and hidden folders are not code.
func packages(root string) ([]*pkg, error) {
	byDir := map[string]*pkg{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		p := byDir[rel]
		if p == nil {
			p = &pkg{dir: rel, name: f.Name.Name, docs: map[string]string{}}
			byDir[rel] = p
		}
		p.docs[name] = packageComment(f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*pkg, 0, len(byDir))
	for _, p := range byDir {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].dir < out[j].dir })
	return out, nil
}

// packageComment is the text of f's package comment: the comment group
// right above its package clause, as go doc reads it.
func packageComment(f *ast.File) string {
	if f.Doc == nil {
		return ""
	}
	return f.Doc.Text()
}

// moduleRoot is the folder of go.mod above the test's folder.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
