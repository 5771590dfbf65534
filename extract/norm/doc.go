// Package norm normalises the names and codes that differ between sources:
// countries to ISO 3166-1 alpha-3, treaty bodies and special procedures to
// mechanism and body codes, State responses, UPR sessions and cycles, and
// dates. It is pure: tables are compiled in.
package norm
