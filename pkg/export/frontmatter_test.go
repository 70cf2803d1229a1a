package export_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

// trickyTexts are strings that break naive YAML or Markdown output.
var trickyTexts = []string{
	"",
	"plain intent",
	`She said "hi"`,
	"it's",
	"'single quoted'",
	"key: value",
	"a: b # c",
	"# comment",
	"#hashtag",
	"- item",
	"* star",
	"& anchor",
	"*alias",
	"! tag",
	"!!str",
	"% directive",
	"@ at",
	"` backtick",
	"```fence",
	"| literal",
	"> folded",
	"? question",
	": colon",
	"[a, b]",
	"{a: b}",
	"---",
	"...",
	"--- \n...",
	"yes", "no", "on", "off", "true", "null", "Null", "~", "NaN", ".inf",
	"123", "0x1F", "0o17", "1e3", "-1", "+1", "2026-02-10", "2026-02-10T14:30:00Z",
	"line one\nline two",
	"\n",
	"\n\n",
	"crlf\r\nline",
	"cr\ronly",
	"trailing newline\n",
	"tab\there",
	"\tleading tab",
	" leading and trailing ",
	"   ",
	`back\slash`,
	`trailing backslash\`,
	`\n is not a newline`,
	`\u0041 is not A`,
	`"`,
	`\"`,
	"nul\x00byte",
	"bell\x07",
	"escape \x1b[31mred\x1b[0m",
	"del\x7f",
	"c1 \u0080 \u009f",
	"next line \u0085 here",
	"line separator \u2028 here",
	"paragraph separator \u2029 here",
	"nbsp\u00a0here",
	"\ufeffbyte order mark",
	"noncharacters \ufffe \uffff",
	"replacement \ufffd",
	"private use \ue000",
	"日本語のセッション",
	"Café ✓ — naïve 🚀 Ünïcödé",
	"emoji 👍🏽 and ZWJ 👩‍💻",
	"right-to-left \u202e override",
	"<script>alert(1)</script>",
	"{{ template }}",
	"${VAR} $(cmd)",
	strings.Repeat("long intent ", 200),
}

// frontMatter returns the front matter of a RecallMarkdown document.
func frontMatter(t *testing.T, md string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(md, "---\n")
	if !ok {
		t.Fatalf("no front matter: %q", md)
	}
	fm, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		t.Fatalf("front matter not closed: %q", md)
	}
	if !strings.HasPrefix(body, "\n# Session: ") {
		t.Fatalf("body does not follow the front matter: %q", body)
	}
	return fm + "\n"
}

// checkFrontMatter decodes the front matter of s's recall file and compares
// every value with s.
func checkFrontMatter(t *testing.T, s *session.Session) {
	t.Helper()
	fm := frontMatter(t, export.RecallMarkdown(s, export.Extras{}))
	var have map[string]any
	if err := yaml.Unmarshal([]byte(fm), &have); err != nil {
		t.Fatalf("front matter does not parse: %v\n%s", err, fm)
	}
	want := map[string]any{
		"schema_version": 1,
		"session_id":     s.SessionID,
		"project_slug":   s.ProjectSlug,
		"started_at":     s.StartedAt,
		"ended_at":       session.Deref(s.EndedAt),
		"intent":         s.Intent,
		"status":         string(s.Status),
	}
	for _, k := range []string{"started_at", "ended_at"} {
		if want[k] == "" {
			want[k] = nil
		}
	}
	if len(have) != len(want) {
		t.Errorf("front matter has %d keys, want %d:\n%s", len(have), len(want), fm)
	}
	for k, w := range want {
		if h, ok := have[k]; !ok || h != w {
			t.Errorf("%s: want %#v, have %#v\n%s", k, w, h, fm)
		}
	}
}

func TestRecallFrontMatter(t *testing.T) {
	t.Parallel()
	for _, intent := range trickyTexts {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			s := richSession()
			s.Intent = intent
			checkFrontMatter(t, s)
		})
	}
	t.Run("bare", func(t *testing.T) {
		t.Parallel()
		checkFrontMatter(t, bareSession())
	})
	t.Run("odd values", func(t *testing.T) {
		t.Parallel()
		s := bareSession()
		s.SessionID = "sess: #1"
		s.ProjectSlug = "- slug"
		s.Status = "weird \"status\"\n"
		s.StartedAt = ""
		s.EndedAt = strp("")
		checkFrontMatter(t, s)
	})
}

func FuzzRecallFrontMatter(f *testing.F) {
	for _, s := range trickyTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, intent string) {
		if !utf8.ValidString(intent) {
			t.Skip("the store accepts only UTF-8")
		}
		s := bareSession()
		s.Intent = intent
		s.EndedAt = strp("2026-02-11T10:00:00.000000+00:00")
		checkFrontMatter(t, s)
	})
}
