// Package lang tells the language of a recommendation's text: by script for
// Russian, Arabic and Chinese, by function words for English, French and
// Spanish. It is a small, deterministic guess for recording and routing
// texts, not a general language identifier; it reads nothing but its input.
// It lives here so that both the importers (extract/lang) and the models
// (classify, which routes French and Spanish texts through its bilingual
// lexicons) use one detector without importing each other.
package lang
