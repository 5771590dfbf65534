// Package wgreport imports UPR Working Group reports as flat text: it finds
// the "Conclusions and/or recommendations" section and turns each numbered
// item of it into one recommendation with its recommending States and the
// State's response taken from the lead-in paragraph. It reads the English,
// French and Spanish versions alike and records each text's language. It
// reads text only; it
// does not classify or store.
package wgreport
