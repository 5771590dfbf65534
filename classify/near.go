package classify

import (
	"sync"
	"unicode/utf8"
)

// nearIndex finds, for a French or Spanish stem no lexicon has, the English
// word of a vocabulary spelled nearly the same: a cognate whose stems differ
// by a letter or two ("famill"/"famili", "membr"/"member",
// "recomend"/"recommend", "posibil"/"possibl"). Only the vocabulary's
// alphabetic unigrams of five letters or more are candidates; the stem must
// have five letters or more and share its first three with the candidate,
// which must be the only one at the least distance (one edit and one letter
// more or less for stems of up to six letters, two edits beyond; edits
// weighted by cognateDistance).
// Answers are memoised.
type nearIndex struct {
	byPrefix map[string][]string
	memo     sync.Map // stem → string ("" for none)
}

// nearIn returns the index of g's vocabulary, built on first use.
func (p *Projection) nearIn(g *termGroup) *nearIndex {
	if x, ok := p.near.Load(g); ok {
		return x.(*nearIndex)
	}
	ix := &nearIndex{byPrefix: map[string][]string{}}
	for t := range g.index {
		if len(t) < 5 || !isLowerASCII(t) {
			continue
		}
		ix.byPrefix[t[:3]] = append(ix.byPrefix[t[:3]], t)
	}
	x, _ := p.near.LoadOrStore(g, ix)
	return x.(*nearIndex)
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// find returns the one English term spelled nearly as stem.
func (ix *nearIndex) find(stem string) (string, bool) {
	if x, ok := ix.memo.Load(stem); ok {
		return x.(string), x.(string) != ""
	}
	best := ""
	n := utf8.RuneCountInString(stem)
	if n >= 5 && isLowerASCII(stem) {
		// One edit (in half edits) and one letter more or less; two edits
		// beyond six letters.
		limit, short := 2, true
		if n > 6 {
			limit, short = 4, false
		}
		bd, tie := limit+1, false
		for _, c := range ix.byPrefix[stem[:3]] {
			if d := len(c) - len(stem); short && (d > 1 || d < -1) {
				continue
			}
			d := cognateDistance(stem, c, bd)
			switch {
			case d < bd:
				best, bd, tie = c, d, false
			case d == bd && d <= limit:
				tie = true
			}
		}
		if tie || bd > limit {
			best = ""
		}
	}
	ix.memo.Store(stem, best)
	return best, best != ""
}

// cognateDistance is an edit distance of two lower-case ASCII stems, in
// half edits, weighted by how French, Spanish and English spellings of one
// Latin word differ: a doubled letter ("recomend"/"recommend"), an "h"
// ("alcool"/"alcohol") or a letter at the end ("attribu"/"attribut",
// "culturel"/"cultur") costs half an edit; a vowel for another or a vowel
// added or dropped ("annuel"/"annual", "membr"/"member"), and the
// consonant pairs s/z, c/k, c/q, c/t and i/y, one edit; any other consonant
// changed or added, two or three, so that words of different roots spelled
// alike ("prosegu"/"prosecut", "consacr"/"contact", "avoir"/"avoid") are no
// match. It returns a value above bound once it must exceed it.
func cognateDistance(a, b string, bound int) int {
	if d := len(a) - len(b); d > 2*bound || -d > 2*bound {
		return bound + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := 1; j <= len(b); j++ {
		prev[j] = prev[j-1] + indelCost(b, j-1, len(a) == 0)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = prev[0] + indelCost(a, i-1, len(b) == 0)
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1] + subCost(a[i-1], b[j-1])
			c = min(c, prev[j]+indelCost(a, i-1, j == len(b)), cur[j-1]+indelCost(b, j-1, i == len(a)))
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin > bound {
			return bound + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// subCost is the cost of writing y for x, in half edits.
func subCost(x, y byte) int {
	switch {
	case x == y:
		return 0
	case isVowel(x) && isVowel(y):
		return 2
	}
	if x > y {
		x, y = y, x
	}
	switch string([]byte{x, y}) {
	case "sz", "ck", "cq", "ct", "iy":
		return 2
	}
	return 6
}

// indelCost is the cost of adding or dropping s[i], in half edits; trailing
// tells that it is after the last letter of the other word.
func indelCost(s string, i int, trailing bool) int {
	c := s[i]
	switch {
	case trailing, c == 'h', i > 0 && s[i-1] == c, i+1 < len(s) && s[i+1] == c:
		return 1
	case isVowel(c):
		return 2
	}
	return 4
}
