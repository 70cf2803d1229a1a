package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The store's root is its engine and the original's commands: what must
// stay true of it (issue "pkg/store: an engine with a public transaction").
const (
	// Non-test lines of package store: 3,500 until the index's group
	// commit (engine: indexqueue.go), whose queue's files and the index's
	// live entries went to packages of their own (internal/queue, index).
	maxStoreLines   = 3850
	maxStoreMethods = 25 // exported methods of *Store
)

// TestStoreRoot: pkg/store's root stays small, keeps to a few exported
// methods on *Store (reads go through View, the hooks' vocabulary through
// internal/journal), and makes no system call but through internal/disk.
func TestStoreRoot(t *testing.T) {
	dir := filepath.Join(moduleRoot(t), "pkg", "store")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	lines, methods := 0, []string{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines += strings.Count(string(src), "\n")
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			switch path, _ := strconv.Unquote(imp.Path.Value); path {
			case "os", "syscall", "golang.org/x/sys/unix", "github.com/sess-dev/sess/internal/atomicfile":
				t.Errorf("%s imports %s: the root's system calls go through internal/disk (derived files through package derived)", name, path)
			}
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Name.IsExported() && isStore(fn.Recv) {
				methods = append(methods, fn.Name.Name)
			}
		}
	}
	if lines > maxStoreLines {
		t.Errorf("pkg/store's root has %d non-test lines, over %d: what is not the engine or a command of the original belongs in a package of its own", lines, maxStoreLines)
	}
	if len(methods) > maxStoreMethods {
		t.Errorf("*Store has %d exported methods, over %d: %s", len(methods), maxStoreMethods, strings.Join(methods, " "))
	}
	t.Logf("pkg/store's root: %d lines, %d exported methods of *Store", lines, len(methods))
}

// isStore reports whether a receiver is *Store.
func isStore(recv *ast.FieldList) bool {
	if len(recv.List) != 1 {
		return false
	}
	star, ok := recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Store"
}

// storeNames are the names of the store's files and folders (pkg/store's
// and its derived files'): only pkg/store and its packages say them.
var storeNames = map[string]bool{
	"sessions": true, "archive": true, "projects": true, "config.json": true, "sess.json": true,
	"_index.json": true, "_index.lock": true, "_launch.lock": true, ".throttle": true, ".search": true, ".usage": true,
	"notify_state.json": true, "highlights": true, "conversations": true, "windows": true,
}

// namesStorePath reports a literal that is a path inside a store.
func namesStorePath(lit string) bool {
	for _, part := range []string{"_index.json", "notify_state.json", ".throttle/", ".search/", "sessions/", "projects/"} {
		if strings.Contains(lit, part) {
			return true
		}
	}
	return false
}

// TestNoStorePathsOutside: no package but pkg/store's builds a path of a
// file or folder of the store (a filepath.Join with one of its names, or a
// literal path into it); tests may, to look at the files themselves.
// internal/benchstore writes the original's layout itself, as a generator
// of stores for benchmarks (its doc.go says so).
func TestNoStorePathsOutside(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	for _, top := range []string{"cmd", "internal", "pkg"} {
		filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			switch {
			case err != nil:
				return err
			case d.IsDir() && (rel == "pkg/store" || strings.HasPrefix(rel, "pkg/store/") || rel == "internal/benchstore" || d.Name() == "testdata"):
				return filepath.SkipDir
			case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Join" && joinsStoreName(n.Args) {
						t.Errorf("%s: %s builds a path of the store: ask pkg/store (or its derived files)", rel, fset.Position(n.Pos()))
					}
				case *ast.BasicLit:
					if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && namesStorePath(s) {
						t.Errorf("%s: %s names a path inside the store: %q", rel, fset.Position(n.Pos()), s)
					}
				}
				return true
			})
			return nil
		})
	}
}

// joinsStoreName reports a Join of one of the store's names, unless it
// joins Claude Code's own folder (~/.claude/projects is not the store's).
func joinsStoreName(args []ast.Expr) bool {
	found := false
	for _, a := range args {
		lit, ok := a.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue
		}
		s, _ := strconv.Unquote(lit.Value)
		if s == ".claude" {
			return false
		}
		if storeNames[s] {
			found = true
		}
	}
	return found
}
