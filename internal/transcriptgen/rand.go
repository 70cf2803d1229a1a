package transcriptgen

import "math/rand/v2"

// dice is a seeded source with the draws the generator makes.
type dice struct{ *rand.Rand }

// newDice is the source of conversation n of the tree of seed: each
// conversation its own, so that one drawing more or less does not change
// the next.
func newDice(seed uint64, n int) dice {
	return dice{rand.New(rand.NewPCG(seed, uint64(n)+0x9e3779b97f4a7c15))}
}

// between is a number from lo to hi, both included.
func (d dice) between(lo, hi int) int { return lo + d.IntN(hi-lo+1) }

// chance is true with probability p.
func (d dice) chance(p float64) bool { return d.Float64() < p }

// weighted is a choice and its weight.
type weighted[T any] struct {
	v T
	w int
}

// pick is one of choices, drawn by weight.
func pick[T any](d dice, choices []weighted[T]) T {
	total := 0
	for _, c := range choices {
		total += c.w
	}
	n := d.IntN(total)
	for _, c := range choices {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	panic("unreachable")
}

// one is one of the choices, each as likely.
func one[T any](d dice, choices ...T) T { return choices[d.IntN(len(choices))] }
