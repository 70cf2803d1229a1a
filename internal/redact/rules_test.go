package redact

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// TestRulesUpToDate: gitleaks_rules.go is what gen makes of gitleaks.toml.
func TestRulesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	want, err := exec.Command("go", "run", "./gen", "gen/gitleaks.toml").Output()
	if err != nil {
		t.Fatal(err)
	}
	have, _ := os.ReadFile("gitleaks_rules.go")
	if string(have) != string(want) {
		t.Error("gitleaks_rules.go is stale: run go generate ./internal/redact")
	}
}

// TestRulesCompile: every rule and allowlist is an expression Go reads, so
// that none is silently left out.
func TestRulesCompile(t *testing.T) {
	if len(gitleaksRules) < 200 {
		t.Errorf("only %d rules", len(gitleaksRules))
	}
	for i := range gitleaksRules {
		r := &gitleaksRules[i]
		if _, err := regexp.Compile(r.regex); err != nil {
			t.Errorf("%s: %v", r.id, err)
		}
		for j := range r.allow {
			if len(r.allow[j].compiled()) != len(r.allow[j].regexes) {
				t.Errorf("%s: an allowlist expression does not compile", r.id)
			}
		}
	}
}
