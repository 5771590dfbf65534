package data

import "embed"

//go:embed lexicon/*.tsv
var lexicon embed.FS

// Lexicon returns the bilingual lexicon files for French and Spanish texts
// (see lexicon/PROVENANCE.md): glossary.tsv, hand-made with a source for
// each pair, and sdg-fr.tsv and sdg-es.tsv, learnt from the official SDG
// texts in three languages (`make lexicon`).
func Lexicon(name string) ([]byte, error) { return lexicon.ReadFile("lexicon/" + name) }
