package export

import "testing"

func TestCodeSpan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", "``"},
		{"main", "`main`"},
		{"feature/x", "`feature/x`"},
		{"a`b", "``a`b``"},
		{"a``b`c", "```a``b`c```"},
		{"`", "`` ` ``"},
		{"`start", "`` `start ``"},
		{"end`", "`` end` ``"},
		{" both ", "`  both  `"},
		{" left", "` left`"},
		{"   ", "`   `"},
		{"two\nlines", "`two lines`"},
		{"crlf\r\nline\rcr", "`crlf line cr`"},
		{"a|b", "`a|b`"},
	} {
		if want, have := tc.want, codeSpan(tc.in); want != have {
			t.Errorf("codeSpan(%q): want %q, have %q", tc.in, want, have)
		}
	}
}

func TestCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"alpha-service", "alpha-service"},
		{"a | b", `a \| b`},
		{"one\ntwo", "one two"},
		{"||", `\|\|`},
	} {
		if want, have := tc.want, cell(tc.in); want != have {
			t.Errorf("cell(%q): want %q, have %q", tc.in, want, have)
		}
	}
}

func TestHeadingText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Fix flaky CI", "Fix flaky CI"},
		{"", ""},
		{"Fix #123", "Fix #123"},
		{"Learn C#", "Learn C#"},
		{"Closing ##", `Closing \##`},
		{"Closing # ", `Closing \# `},
		{"#", `\#`},
		{"###", `\###`},
		{"two\nlines", "two lines"},
		{"cr\r\nlf", "cr lf"},
	} {
		if want, have := tc.want, headingText(tc.in); want != have {
			t.Errorf("headingText(%q): want %q, have %q", tc.in, want, have)
		}
	}
}

func TestSafeLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		// Unchanged.
		{"", ""},
		{"plain text", "plain text"},
		{"#123 fixed", "#123 fixed"},
		{"####### seven", "####### seven"},
		{"- list item", "- list item"},
		{"* list item", "* list item"},
		{"1. ordered", "1. ordered"},
		{"> quote", "> quote"},
		{"| a | b |", "| a | b |"},
		{"**bold**", "**bold**"},
		{"__init__", "__init__"},
		{"-- comment", "-- comment"},
		{"=> arrow", "=> arrow"},
		{"``inline``", "``inline``"},
		{"~~strike~~", "~~strike~~"},
		{"< 5 ms", "< 5 ms"},
		{"[WIP] fix: it", "[WIP] fix: it"},
		{"    # indented code", "    # indented code"},
		{"\t# tab", "\t# tab"},
		// Escaped.
		{"# heading", `\# heading`},
		{"###### six", `\###### six`},
		{"#", `\#`},
		{"#\tx", `\#` + "\tx"},
		{"   # three spaces", `   \# three spaces`},
		{"===", `\===`},
		{"= ", `\= `},
		{"-", `\-`},
		{"---", `\---`},
		{"- - -", `\- - -`},
		{"***", `\***`},
		{" * * *", ` \* * *`},
		{"___", `\___`},
		{"```", "\\```"},
		{"```go", "\\```go"},
		{"~~~", `\~~~`},
		{"<!-- comment", `\<!-- comment`},
		{"<div>", `\<div>`},
		{"</div>", `\</div>`},
		{"<?php", `\<?php`},
		{"<![CDATA[", `\<![CDATA[`},
		{"[label]: /url", `\[label]: /url`},
		{`[a\]b]: /url`, `\[a\]b]: /url`},
		{"[label across", `\[label across`},
	} {
		if want, have := tc.want, safeLine(tc.in); want != have {
			t.Errorf("safeLine(%q): want %q, have %q", tc.in, want, have)
		}
	}
}

func TestListItem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ head, text, tail, want string }{
		{"", "plain", "", "- plain"},
		{"", "", "", "- "},
		{"", "two\nlines", "", "- two\n  lines"},
		{"", "gap\n\nafter", "", "- gap\n\n  after"},
		{"", "\n\n# leak", "", "- \n\n  \\# leak"},
		{"", "--", "", `- \--`},
		{"", "- -", "", `- \- -`},
		{"", "* *", "", "- * *"},
		{"[ ] ", "multi\nline", " *(in progress)*", "- [ ] multi\n  line *(in progress)*"},
		{"[x] ~~", "a\n~", "~~ (skipped)", "- [x] ~~a\n  \\~~~ (skipped)"},
	} {
		if want, have := tc.want, listItem(tc.head, tc.text, tc.tail); want != have {
			t.Errorf("listItem(%q, %q, %q): want %q, have %q", tc.head, tc.text, tc.tail, want, have)
		}
	}
}

func TestYAMLString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`a "b" \c`, `"a \"b\" \\c"`},
		{"a\nb\r\tc", `"a\nb\r\tc"`},
		{"\x00\x1b\x7f", `"\u0000\u001b\u007f"`},
		{"\u0085\u2028\u2029\ufeff\ufffe\uffff", `"\u0085\u2028\u2029\ufeff\ufffe\uffff"`},
		{"日本 🚀", `"日本 🚀"`},
		{"bad \xff byte", "\"bad \ufffd byte\""},
	} {
		if want, have := tc.want, yamlString(tc.in); want != have {
			t.Errorf("yamlString(%q): want %s, have %s", tc.in, want, have)
		}
	}
}
