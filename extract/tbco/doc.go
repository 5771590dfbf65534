// Package tbco imports treaty-body concluding observations (pdftotext text,
// OHCHR docstore HTML or .docx) and turns the "concern and recommendations"
// section into one record per concern paragraph and per recommendation
// (paragraph or lettered sub-paragraph), with the topic sub-heading above it.
// It reads documents only; it does not classify or store.
package tbco
