// Package lang tells the language of a recommendation's text: by script for
// Russian, Arabic and Chinese, by function words for English, French and
// Spanish. It is a small, deterministic guess for recording and routing
// texts, not a general language identifier; it reads nothing but its input.
package lang
