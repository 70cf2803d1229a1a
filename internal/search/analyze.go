package search

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
)

// Text is analyzed into terms: words (runs of letters and digits) in lower
// case, without accents, stop words dropped, each stemmed by the Snowball
// stemmers for English and for Dutch (sess's users write both), so that
// "refactoring", "refactored" and "refactors" are one term, and "sessies"
// finds "sessie". A word whose two stems differ is indexed under both.

// maxWord bounds a word: longer runs (hashes, base64) are cut.
const maxWord = 40

// words splits text into lower-case, accent-free words of at least two
// characters (one digit alone is a word too), stop words left out.
func words(text string, fn func(w string)) {
	scanWords(text, func(w []byte) { fn(string(w)) })
}

// scanWords is words with each word in a buffer that fn must not keep: the
// index looks most words up in its tables without making a string of each
// (a build reads millions of them). ASCII, most of any text, is taken a
// byte at a time.
func scanWords(text string, fn func(w []byte)) {
	stop := stopwords()
	var buf [maxWord * utf8.UTFMax]byte
	b := buf[:0]
	n := 0 // the word's length in letters, past maxWord too
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				emitWord(b, stop, fn)
				b, n = b[:0], 0
				continue
			}
			if n < maxWord {
				b = append(b, c)
			}
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = fold(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n < maxWord {
				b = utf8.AppendRune(b, unicode.ToLower(r))
			}
			n++
			continue
		}
		emitWord(b, stop, fn)
		b, n = b[:0], 0
	}
	emitWord(b, stop, fn)
}

// emitWord passes w on unless it is too short (one letter; one digit is a
// word) or a stop word.
func emitWord(w []byte, stop map[string]bool, fn func(w []byte)) {
	if len(w) == 0 || utf8.RuneCount(w) < 2 && !(len(w) == 1 && w[0] >= '0' && w[0] <= '9') || stop[string(w)] {
		return
	}
	fn(w)
}

// fold maps an accented Latin letter to its base letter (é → e), so that a
// query typed without accents finds text with them.
func fold(r rune) rune {
	if r < 0xC0 || r > 0x17F {
		return r
	}
	if f, ok := folds()[r]; ok {
		return f
	}
	return r
}

// The tables below are made on first use, not at start-up: sess-manage
// links this package, and most of its commands never search.

var folds = sync.OnceValue(func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćĉċč", 'e': "èéêëēĕėęě", 'i': "ìíîïĩīĭįı", 'n': "ñńņňŉ",
		'o': "òóôõöøōŏő", 'u': "ùúûüũūŭůűų", 'y': "ýÿŷ", 's': "śŝşš", 'z': "źżž", 'g': "ĝğġģ", 'l': "ĺļľŀł", 'r': "ŕŗř", 't': "ţťŧ", 'd': "ďđ",
	} {
		for _, a := range accented {
			m[a] = base
			m[unicode.ToUpper(a)] = base
		}
	}
	return m
})

// stems are a word's terms: its English and its Dutch stem (one term when
// they agree). Words with digits are kept as they are.
func stems(w string) (string, string) {
	if strings.ContainsFunc(w, unicode.IsDigit) {
		return w, ""
	}
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	en := env.Current()
	env.SetCurrent(w)
	dutch.Stem(env)
	nl := env.Current()
	if nl == en {
		nl = ""
	}
	return en, nl
}

// stopwords are the words too common to tell sessions apart, English and
// Dutch (the original's list, and a few more).
var stopwords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`de het een van in is dat op te en er aan voor met als om maar dan ook nog bij uit ze al was of hun die dit door wordt zijn
		niet naar je ik we wij u hij zij wat wie waar hoe
		the a an in is it of to and for on at by with from or as but not this that was be are were been has have had do does did will
		would can could should may might its into than then there these those their they them our your you we i he she his her what which who how when where`) {
		m[w] = true
	}
	return m
})

// synonyms group the words of the work that say the same: a query for one
// finds the others, at a lower weight. Each group is listed by its stems'
// source words; the index compares stems.
var synonymGroups = [][]string{
	{"bug", "defect", "fix", "issue", "problem", "error", "fault", "crash"},
	{"login", "signin", "logon", "authentication", "auth", "authenticate", "oauth", "sso"},
	{"delete", "remove", "drop", "erase", "purge"},
	{"add", "create", "new", "introduce"},
	{"test", "tests", "spec", "testing", "unittest"},
	{"speed", "fast", "performance", "perf", "slow", "latency", "faster"},
	{"refactor", "cleanup", "restructure", "rewrite", "tidy"},
	{"doc", "docs", "documentation", "readme", "guide"},
	{"deploy", "release", "ship", "rollout", "publish"},
	{"config", "configuration", "settings", "setup"},
	{"database", "db", "sql", "postgres", "sqlite", "mysql"},
	{"ui", "frontend", "page", "dashboard", "view", "screen"},
	{"api", "endpoint", "route", "handler"},
	{"upgrade", "update", "bump", "migrate", "migration"},
	{"search", "find", "lookup", "query", "recall"},
	{"commit", "push", "merge"},
	{"fout", "bug", "fix", "probleem", "error"},
	{"inloggen", "login", "aanmelden", "auth"},
	{"verwijderen", "delete", "remove"},
	{"snelheid", "speed", "performance", "traag", "snel"},
}

// synonymsOf maps a stem to the stems it is a synonym of.
var synonymsOf = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, g := range synonymGroups {
		var st []string
		for _, w := range g {
			en, nl := stems(w)
			st = append(st, en)
			if nl != "" {
				st = append(st, nl)
			}
		}
		for _, a := range st {
			for _, b := range st {
				if a != b && !slices.Contains(m[a], b) {
					m[a] = append(m[a], b)
				}
			}
		}
	}
	return m
})
