package cli

import "strings"

// Suggest returns the name among names that a mistyped name most likely
// meant, or "" when none is close: the one name it is a prefix of, else the
// nearest by edit distance (a swap of two neighbours counts once) within
// about a third of its length.
func Suggest(name string, names []string) string {
	lower := strings.ToLower(name)
	var prefixed []string
	for _, n := range names {
		if len(lower) >= 3 && strings.HasPrefix(n, lower) {
			prefixed = append(prefixed, n)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	best, bestD := "", max(2, len([]rune(lower))/3)+1
	for _, n := range names {
		if d := distance(lower, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the optimal string alignment distance of a and b: insertions,
// deletions, substitutions and swaps of neighbours, each costing one.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}
