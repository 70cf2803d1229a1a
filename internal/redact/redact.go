package redact

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
)

//go:generate sh -c "go run ./gen gen/gitleaks.toml > gitleaks_rules.go"

// rule is a gitleaks rule.
type rule struct {
	id          string
	regex       string
	secretGroup int
	entropy     float64
	keywords    []string
	allow       []allowlist

	once sync.Once
	re   *regexp.Regexp // nil when the expression does not compile here
}

// allowlist is a gitleaks allowlist: what looks like a secret but is not.
type allowlist struct {
	regexes   []string
	target    string // what the regexes look at: the secret (""), "match" or "line"
	stopwords []string
	and       bool // every check must hold (else any)
	paths     bool // it also names file paths, which text has none of

	once sync.Once
	res  []*regexp.Regexp
}

func (r *rule) compiled() *regexp.Regexp {
	r.once.Do(func() { r.re, _ = regexp.Compile(looseEnd(r.regex)) })
	return r.re
}

// gitleaksEnd is how most of gitleaks' rules end a secret: at a quote, a
// space, a semicolon, an escaped newline or the end. In prose a key is
// followed by a full stop, a comma, a parenthesis, a URL's & or a letter
// of another script just as often, and gitleaks then finds nothing.
const gitleaksEnd = `(?:[\x60'"\s;]|\\[nr]|$)`

// looseEnd lets a rule whose secret has a shape of its own (sk_live_…,
// AIza…, sk-ant-…) end at anything but a letter, digit, _ or -. Rules
// that find a secret by the name it is assigned to (generic-api-key and
// the [\w.-]{0,50}?(?:name) ones) keep gitleaks' end: their values are
// any word, and that end keeps code (key = f(x), a.key.b) out.
func looseEnd(re string) string {
	if !strings.HasSuffix(re, gitleaksEnd) || strings.Contains(re, `[\w.-]{0,50}?`) {
		return re
	}
	return strings.TrimSuffix(re, gitleaksEnd) + `(?:[^\w-]|$)`
}

func (a *allowlist) compiled() []*regexp.Regexp {
	a.once.Do(func() {
		for _, s := range a.regexes {
			if re, err := regexp.Compile(s); err == nil {
				a.res = append(a.res, re)
			}
		}
	})
	return a.res
}

// span is a piece of text to replace.
type span struct {
	start, end int
	with       string
}

// Text redacts s and returns it and how many redactions it made.
//
// A key hidden from the rules, by JSON escapes of its letters (\u0041KIA…)
// or an invisible character inside it, is found in the text made plain
// (see unhidden); when anything is redacted the plain text is returned,
// else s as it was, so that clean text keeps its escapes.
func Text(s string) (string, int) {
	if s == "" {
		return s, 0
	}
	if plain, ok := unhidden(s); ok {
		if out, n := text(plain); n > 0 {
			return out, n
		}
		return s, 0
	}
	return text(s)
}

func text(s string) (string, int) {
	out, n := replace(s, secrets(s))
	out, k := applyPatterns(out, credentials())
	out, p := applyPatterns(out, personal())
	return out, n + k + p
}

// applyPatterns replaces what each pattern finds in s, one pattern after
// the other, and returns the text and how many it replaced.
func applyPatterns(s string, patterns []pattern) (string, int) {
	n := 0
	lower := "" // made when a pattern has keywords; a redaction only takes words out
	for _, p := range patterns {
		if p.keywords != nil {
			if lower == "" {
				lower = strings.ToLower(s)
			}
			if !hasKeyword(lower, p.keywords) {
				continue
			}
		}
		var spans []span
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			start, end := m[0], m[1]
			if p.group > 0 && m[2*p.group] >= 0 {
				start, end = m[2*p.group], m[2*p.group+1]
			}
			if p.keep != nil && p.keep(s[start:end]) || p.skip != nil && p.skip(s, m[0], m[1]) {
				continue
			}
			spans = append(spans, span{start, end, p.with})
		}
		var k int
		s, k = replace(s, spans)
		n += k
	}
	return s, n
}

// secrets finds the secrets gitleaks' rules find in s.
func secrets(s string) []span {
	lower := strings.ToLower(s)
	var out []span
	for i := range gitleaksRules {
		r := &gitleaksRules[i]
		if !hasKeyword(lower, r.keywords) {
			continue
		}
		re := r.compiled()
		if re == nil {
			continue
		}
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			start, end := secretOf(m, r.secretGroup)
			secret := s[start:end]
			if secret == "" || r.entropy > 0 && entropy(secret) <= r.entropy {
				continue
			}
			if allowed(&globalAllow, secret, s[m[0]:m[1]], lineOf(s, m[0], m[1])) || allowedAny(r.allow, secret, s[m[0]:m[1]], lineOf(s, m[0], m[1])) {
				continue
			}
			// checksum_key = <sha256>: random, but named a digest.
			if digestNamed(s[m[0]:start], secret) {
				continue
			}
			out = append(out, span{start, end, "[REDACTED:" + r.id + "]"})
		}
	}
	return out
}

func hasKeyword(lower string, keywords []string) bool {
	for _, k := range keywords {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// secretOf is where the secret of a match is: its group, else its first
// group that matched something, else the whole match.
func secretOf(m []int, group int) (int, int) {
	if group > 0 && 2*group+1 < len(m) && m[2*group] >= 0 {
		return m[2*group], m[2*group+1]
	}
	if group == 0 {
		for g := 1; 2*g+1 < len(m); g++ {
			if m[2*g] >= 0 && m[2*g+1] > m[2*g] {
				return m[2*g], m[2*g+1]
			}
		}
	}
	return m[0], m[1]
}

// lineOf is the line that holds s[start:end].
func lineOf(s string, start, end int) string {
	a := strings.LastIndexByte(s[:start], '\n') + 1
	b := strings.IndexByte(s[end:], '\n')
	if b < 0 {
		return s[a:]
	}
	return s[a : end+b]
}

func allowedAny(lists []allowlist, secret, match, line string) bool {
	for i := range lists {
		if allowed(&lists[i], secret, match, line) {
			return true
		}
	}
	return false
}

// allowed applies an allowlist as gitleaks does.
func allowed(a *allowlist, secret, match, line string) bool {
	target := secret
	switch a.target {
	case "match":
		target = match
	case "line":
		target = line
	}
	regex := false
	for _, re := range a.compiled() {
		if re.MatchString(target) {
			regex = true
			break
		}
	}
	stop := false
	lower := strings.ToLower(secret)
	for _, w := range a.stopwords {
		if strings.Contains(lower, w) {
			stop = true
			break
		}
	}
	if !a.and {
		return regex || stop
	}
	if a.paths {
		return false // a file path check, which text cannot pass
	}
	var checks []bool
	if len(a.regexes) > 0 {
		checks = append(checks, regex)
	}
	if len(a.stopwords) > 0 {
		checks = append(checks, stop)
	}
	for _, c := range checks {
		if !c {
			return false
		}
	}
	return len(checks) > 0
}

// entropy is the Shannon entropy of s in bits per byte, as gitleaks counts.
func entropy(s string) float64 {
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	var e float64
	inv := 1 / float64(len(s))
	for _, c := range counts {
		f := float64(c) * inv
		e -= f * math.Log2(f)
	}
	return e
}

// replace replaces the spans of s, the first of overlapping ones giving
// the label and the others' tails going with it, and returns the text and
// how many it replaced.
func replace(s string, spans []span) (string, int) {
	if len(spans) == 0 {
		return s, 0
	}
	// By place; at one place, a rule for a kind of secret before the
	// generic one, so that the label says what it was.
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return !strings.Contains(spans[i].with, "generic") && strings.Contains(spans[j].with, "generic")
	})
	var b strings.Builder
	at, n := 0, 0
	for _, sp := range spans {
		if sp.start < at {
			// Overlapping one already replaced: its tail goes too.
			at = max(at, sp.end)
			continue
		}
		b.WriteString(s[at:sp.start])
		b.WriteString(sp.with)
		at = sp.end
		n++
	}
	b.WriteString(s[at:])
	return b.String(), n
}
