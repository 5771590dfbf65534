package modelgen

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
)

// minVerbUses is the fewest UPR Info recommendations a first word must open
// for KindVerbs to keep it.
const minVerbUses = 2

// notImperative are first words of UPR Info recommendations that are not a
// verb in the imperative: function words, nouns and adjectives ("Civil
// society …", "Full implementation …"), and the words opening reported
// speech ("Recommended that …", "Indonesia recommended …"). Checked by
// hand on the words opening at least minVerbUses recommendations.
var notImperative = map[string]bool{
	"a": true, "all": true, "an": true, "as": true, "at": true, "better": true, "by": true, "civil": true,
	"consistent": true, "for": true, "fast": true, "from": true, "full": true, "given": true, "if": true,
	"in": true, "it": true, "more": true, "not": true, "on": true, "ratification": true, "should": true,
	"such": true, "that": true, "the": true, "this": true, "through": true, "timely": true, "to": true,
	"upon": true, "while": true, "with": true, "within": true, "its": true, "their": true, "there": true,
	"state": true, "states": true, "government": true, "country": true, "recommendation": true, "re": true,
	"indonesia": true, "sri": true, "adoption": true, "establishment": true, "comprehensive": true, "gradual": true,
	"legislative": true, "along": true, "before": true, "de": true, "either": true, "may": true, "whilst": true,
	"without": true, "back": true,
	// Verbs that open questions and cross-references more often than
	// recommendations ("Have …?", "See also …").
	"have": true, "see": true,
}

// VerbUse is a verb and how many recommendations open with it.
type VerbUse struct {
	Verb string
	Uses int
}

// KindVerbs returns the verbs English recommendations open with, in the
// imperative, most used first: the first word of the UPR Info
// recommendations of dir (after any numbering, adverbs and joining words:
// classify.OpeningWord),
// opening at least minVerbUses of them, less the words that are not verbs
// in the base form (ending in -ing, -ed or a third-person -s, or listed in
// notImperative); and how many recommendations were read.
func KindVerbs(ctx context.Context, dir string) ([]VerbUse, int, error) {
	set, err := corpus.UPRInfo(ctx, dir)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", dir, err)
	}
	if len(set.Examples) == 0 {
		return nil, 0, fmt.Errorf("read %s: no UPR Info recommendations", dir)
	}
	uses := map[string]int{}
	for _, e := range set.Examples {
		if w := classify.OpeningWord(e.Text); w != "" {
			uses[w]++
		}
	}
	var out []VerbUse
	for w, n := range uses {
		if n < minVerbUses || notImperative[w] || len(w) < 2 || strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed") ||
			strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") {
			continue
		}
		out = append(out, VerbUse{w, n})
	}
	slices.SortFunc(out, func(a, b VerbUse) int {
		if a.Uses != b.Uses {
			return b.Uses - a.Uses
		}
		return strings.Compare(a.Verb, b.Verb)
	})
	return out, len(set.Examples), nil
}

// FormatKindVerbs writes verbs as the file classify embeds
// (classify/kindverbs.txt): a header saying where they come from, then one
// verb and its uses per line.
func FormatKindVerbs(verbs []VerbUse, recommendations int) string {
	var b strings.Builder
	b.WriteString("# The verbs English recommendations open with, in the imperative (classify.DetectKind).\n")
	fmt.Fprintf(&b, "# Learnt from the first words of the %d UPR Info recommendations of UPR sessions 1-16\n", recommendations)
	b.WriteString("# (../shared/data/upr-info; UN texts): every first word, after numbering and adverbs, that opens at\n")
	fmt.Fprintf(&b, "# least %d of them and is a verb in the base form. Made by internal/modelgen (KindVerbs):\n", minVerbUses)
	b.WriteString("#   go test ./internal/modelgen -run TestKindVerbs -update-kindverbs\n")
	b.WriteString("# verb<TAB>recommendations opening with it\n")
	for _, v := range verbs {
		fmt.Fprintf(&b, "%s\t%d\n", v.Verb, v.Uses)
	}
	return b.String()
}
