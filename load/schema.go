package load

// migrations are applied in order, each once, inside one transaction with
// the schema_migrations row that records it. Never edit a released one: add
// a new one.
var migrations = []string{
	// 1: the recommendation table with provenance and source labels.
	`
CREATE TABLE recommendations (
    rec_id              VARCHAR NOT NULL,  -- stable id, see models.RecID
    kind                VARCHAR NOT NULL,  -- recommendation | concern
    text                VARCHAR NOT NULL,
    country_iso3        VARCHAR NOT NULL,  -- State under review / country concerned
    country_name        VARCHAR,           -- as first seen in a source
    mechanism           VARCHAR NOT NULL,  -- UPR | TB | SP | REGIONAL | OTHER
    body                VARCHAR NOT NULL,  -- UPR, CRC, CEDAW, ...
    upr_session         INTEGER,
    upr_cycle           INTEGER,
    symbol              VARCHAR,           -- document symbol
    paragraph           VARCHAR,
    date                DATE,
    response            VARCHAR,           -- supported | noted | pending | pledge | other
    response_raw        VARCHAR,
    recommending_states VARCHAR[],         -- ISO3 codes
    action_category     INTEGER,           -- UPR Info action category 1-5
    heading             VARCHAR,
    text_sha256         VARCHAR NOT NULL,  -- changes when the text changes
    n_sources           INTEGER NOT NULL,
    first_run_id        VARCHAR NOT NULL,
    last_run_id         VARCHAR NOT NULL
);
CREATE TABLE recommendation_sources (
    rec_id      VARCHAR NOT NULL,
    format      VARCHAR NOT NULL,
    file        VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL,
    source_id   VARCHAR,
    raw_text    VARCHAR,
    run_id      VARCHAR NOT NULL
);
CREATE TABLE source_labels (
    rec_id VARCHAR NOT NULL,
    scheme VARCHAR NOT NULL,
    label  VARCHAR NOT NULL,
    source VARCHAR NOT NULL
);
CREATE TABLE input_files (
    file_sha256  VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    format       VARCHAR NOT NULL,
    records      INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    first_run_id VARCHAR NOT NULL,
    last_run_id  VARCHAR NOT NULL
);
CREATE TABLE ingest_errors (
    run_id  VARCHAR NOT NULL,
    file    VARCHAR NOT NULL,
    row     INTEGER,
    field   VARCHAR,
    message VARCHAR NOT NULL
);
CREATE TABLE runs (
    run_id        VARCHAR NOT NULL,
    command       VARCHAR NOT NULL,
    nmirf_version VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,   -- ok | incomplete | failed
    records_read  INTEGER,
    records_new   INTEGER,
    records_merged INTEGER,
    rejected      INTEGER,
    manifest      JSON                -- inputs, counts, warnings
);
`,
}

// exportTables are written to the Parquet snapshot, each with its ordering so
// that snapshots of the same data are byte-for-byte comparable.
var exportTables = []struct{ name, orderBy string }{
	{"recommendations", "rec_id"},
	{"recommendation_sources", "rec_id, format, file_sha256, locator"},
	{"source_labels", "rec_id, scheme, label, source"},
	{"input_files", "file_sha256, format"},
	{"ingest_errors", "run_id, file, row"},
	{"runs", "started_at, run_id"},
}
