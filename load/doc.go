// Package load writes and reads nmirf's outputs: the DuckDB warehouse (schema,
// migrations, transactional upserts, the working database and the read-only
// copy published for readers), the Parquet snapshot and query results.
// It is the only package that imports duckdb-go and parquet-go; it knows
// nothing of how records were extracted or classified.
package load
