package session

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Field limits: the one validation table. Lengths count characters (code
// points), as the original does.
const (
	MaxIntent          = 500
	MaxOutcome         = 1000
	MaxMessage         = 2000 // event and commit messages
	MaxReason          = 500  // parked reason, awaiting-action reason
	MaxDecision        = 500
	MaxTaskSubject     = 300
	MaxActivity        = 300
	MaxRoadmapRef      = 100
	MaxProjectName     = 100
	MaxWorktreeRoot    = 4096
	MaxClaudeSessionID = 128
	MaxListText        = 500 // next step, open question
	MaxCurrentPhase    = 200
	MaxStateItem       = 300 // project-state roadmap list item
	MaxFilePath        = 4096
	MaxBranch          = 200
	MaxSlug            = 200
	MaxTaskID          = 64

	MaxCommits      = 500
	MaxFilesChanged = 1000
	MaxHookTasks    = 1000 // tasks the hooks add to a session; the commands' are not counted against it
	MaxEventTasks   = 100  // tasks one hook event may add or change (TodoWrite sends its whole list)
	MaxStateItems   = 100
	MaxNextSteps    = 3 // kept, not rejected: longer lists are cut

	MaxLimit = 10000
	MaxDays  = 3650
)

// The patterns of ids, slugs, branches and shas, checked by hand rather
// than with regexp: sess-heartbeat links this package, and compiling
// patterns at start-up would cost every hook run.

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLower(c) || (c >= 'A' && c <= 'Z') }
func isHex(c byte) bool    { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }
func isLowHex(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') }

// isSlug: ^[a-z0-9][a-z0-9-]*$
func isSlug(s string) bool {
	if s == "" || !(isLower(s[0]) || isDigit(s[0])) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(isLower(c) || isDigit(c) || c == '-') {
			return false
		}
	}
	return true
}

// isBranch: ^[a-zA-Z0-9][a-zA-Z0-9._/-]*$
func isBranch(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(isAlnum(c) || c == '.' || c == '_' || c == '/' || c == '-') {
			return false
		}
	}
	return true
}

// IsSHA: ^[0-9a-fA-F]{4,40}$
func IsSHA(s string) bool {
	if len(s) < 4 || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// isSessionID: ^sess_[0-9]{8}T[0-9]{4}_[0-9a-f]{4}$
func isSessionID(s string) bool {
	if len(s) != 23 || s[:5] != "sess_" || s[13] != 'T' || s[18] != '_' {
		return false
	}
	for i := 5; i < 23; i++ {
		switch {
		case i == 13 || i == 18:
		case i < 18 && !isDigit(s[i]):
			return false
		case i > 18 && !isLowHex(s[i]):
			return false
		}
	}
	return true
}

// TextKind says which characters a text field may hold besides printable
// ones: a line holds none; a note may hold newlines and tabs (a multi-line
// outcome or commit message is normal, a multi-line title is not).
type TextKind int

const (
	Line TextKind = iota
	Note
)

// CleanText trims value and checks it is non-empty, valid UTF-8, within max
// characters and free of control characters (newlines allowed in notes).
func CleanText(field, value string, max int, kind TextKind) (string, error) {
	if !utf8.ValidString(value) {
		return "", Invalid(field, "is not valid UTF-8")
	}
	v := strings.TrimSpace(value)
	if v == "" {
		return "", Invalid(field, "must not be empty")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", Invalid(field, "too long (%d characters, max %d)", n, max)
	}
	for _, r := range v {
		if r == 0 {
			return "", Invalid(field, "must not contain NUL bytes")
		}
		if kind == Note && (r == '\n' || r == '\t') {
			continue
		}
		if r < 0x20 || r == 0x7f {
			if r == '\n' || r == '\r' {
				return "", Invalid(field, "must be a single line")
			}
			return "", Invalid(field, "must not contain control characters (found %U)", r)
		}
	}
	return v, nil
}

// CleanOptional is CleanText for a field that may be left out (nil).
func CleanOptional(field string, value *string, max int, kind TextKind) (*string, error) {
	if value == nil {
		return nil, nil
	}
	v, err := CleanText(field, *value, max, kind)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// CleanList cleans every item of a list and checks its length.
func CleanList(field string, items []string, maxItem, maxItems int, kind TextKind) ([]string, error) {
	if maxItems > 0 && len(items) > maxItems {
		return nil, Invalid(field, "too many items (%d, max %d)", len(items), maxItems)
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		v, err := CleanText(fmt.Sprintf("%s[%d]", field, i), it, maxItem, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ValidateSessionID checks a session id before it is used in a path:
// sess_YYYYMMDDTHHMM_xxxx and nothing else, not even a trailing newline.
func ValidateSessionID(id string) error {
	if !isSessionID(id) {
		return Invalid("session_id", "Invalid session id %q (want sess_YYYYMMDDTHHMM_xxxx)", Clip(id))
	}
	return nil
}

// ValidateSlug checks a project slug: lowercase letters, digits and hyphens,
// starting with a letter or digit.
func ValidateSlug(slug string) error {
	if slug == "" {
		return Invalid("project_slug", "must not be empty")
	}
	if len(slug) > MaxSlug || !isSlug(slug) {
		return Invalid("project_slug", "Invalid project slug %q (lowercase letters, digits and '-', starting with a letter or digit)", Clip(slug))
	}
	return nil
}

// ValidateBranch checks a git branch name.
func ValidateBranch(branch string) error {
	if branch == "" {
		return Invalid("git_branch", "must not be empty")
	}
	if len(branch) > MaxBranch || !isBranch(branch) {
		return Invalid("git_branch", "Invalid branch name %q (letters, digits and ._/-, starting with a letter or digit, at most %d)", Clip(branch), MaxBranch)
	}
	return nil
}

// ValidateSHA checks a git commit sha: 4 to 40 hex digits.
func ValidateSHA(sha string) error {
	if !IsSHA(sha) {
		return Invalid("sha", "Invalid commit sha %q (4 to 40 hex digits)", Clip(sha))
	}
	return nil
}

// ValidateLimit checks a --limit value.
func ValidateLimit(n int) error {
	if n < 1 || n > MaxLimit {
		return Invalid("limit", "must be between 1 and %d (got %d)", MaxLimit, n)
	}
	return nil
}

// ValidateDays checks a --days value.
func ValidateDays(n int) error {
	if n < 1 || n > MaxDays {
		return Invalid("days", "must be between 1 and %d (got %d)", MaxDays, n)
	}
	return nil
}

// SlugOf is the one slug function: the basename of a path, lowercased, with
// spaces and underscores turned into hyphens. The result is not validated.
func SlugOf(path string) string {
	base := filepath.Base(filepath.Clean(path))
	if base == "/" || base == "." {
		return ""
	}
	s := strings.ToLower(base)
	s = strings.ReplaceAll(s, " ", "-")
	return strings.ReplaceAll(s, "_", "-")
}

// CleanProjectPath checks a project path: absolute, no ".." component.
func CleanProjectPath(path string) (string, error) {
	p, err := CleanText("path", path, MaxFilePath, Line)
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(p) {
		return "", Invalid("path", "must be absolute (got %q)", Clip(p))
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", Invalid("path", "must not contain '..' (got %q)", Clip(p))
		}
	}
	if c := filepath.Clean(p); c != "/" {
		p = c
	}
	return p, nil
}

// Clip shortens a bad value quoted in an error message.
func Clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
