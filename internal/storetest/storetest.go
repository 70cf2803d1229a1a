package storetest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sess-dev/sess/pkg/store"
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

// Searchable makes a store for comparing searches of the same words in
// different places (the command line, the dashboard): the words a query
// joins sit in different fields of one session ("invoices" in its intent,
// "Belgium" in an event), or in different sessions ("tax", "Belgium"), or
// are parts of words ("Belg"); one word ("VAT") is in sessions of two
// projects in turn; and one session is archived. It returns the
// store's folder and the sessions' ids by name.
func Searchable(t testing.TB) (string, map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	st := store.Open(dir, store.Options{})
	if _, err := st.RegisterProject("Finance", "/src/finance"); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, s := range []struct {
		name, project, intent string
		fill                  func(id string) error
	}{
		{"tax", "finance", "Prepare the quarterly VAT filing", func(id string) error {
			if _, err := st.AddDecision(id, "Services are billed from the Netherlands, so the tax on them follows the Dutch rules and not those of the country the customer lives in"); err != nil {
				return err
			}
			_, err := st.AddEvent(id, "Checked the rates with the accountant")
			return err
		}},
		{"belgium", "finance", "Send invoices to new customers", func(id string) error {
			if _, err := st.AddEvent(id, "After a call with the sales team: customers in Belgium want their invoices in French, or in Dutch for Flanders, with the VAT number of both sides printed on every page"); err != nil {
				return err
			}
			_, err := st.AddTasks(id, []string{"Translate the invoice template"})
			return err
		}},
		{"invoice-page", "web", "Redesign the invoice page", func(id string) error {
			_, err := st.CompleteSession(id, store.Completion{Outcome: "The invoice page loads in one request", FilesChanged: []string{"web/invoice.html"}})
			return err
		}},
		{"archived", "finance", "Move the ledger export to CSV", func(id string) error {
			if _, err := st.AddEvent(id, "Belgian VAT numbers keep their BE prefix"); err != nil {
				return err
			}
			if _, err := st.CompleteSession(id, store.Completion{Outcome: "The export writes CSV"}); err != nil {
				return err
			}
			return st.ArchiveSession(id)
		}},
		{"checkout", "web", "Show the VAT rate on the checkout screen", nil},
		{"noise", "web", "Dark mode for the settings page", nil},
	} {
		sess, err := st.CreateSession(store.NewSession{Project: s.project, Intent: s.intent})
		if err != nil {
			t.Fatal(err)
		}
		ids[s.name] = sess.SessionID
		if s.fill != nil {
			if err := s.fill(sess.SessionID); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
	}
	return dir, ids
}
