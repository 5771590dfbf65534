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
	// 2: model outputs, clusters, the SDG framework and indicator data.
	`
CREATE TABLE models (
    model_id   VARCHAR NOT NULL,
    task       VARCHAR NOT NULL,
    labels     INTEGER NOT NULL,
    trained_at TIMESTAMP,
    header     JSON              -- parameters, training data hash, metrics
);
CREATE TABLE theme_assignments (
    rec_id      VARCHAR NOT NULL,
    scheme      VARCHAR NOT NULL,  -- upr-info-issue | uhri-theme
    label       VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    rank        INTEGER NOT NULL,
    fallback    BOOLEAN NOT NULL,  -- below threshold: top-1 fallback or --top extra
    model_id    VARCHAR NOT NULL,
    evidence    VARCHAR[],
    text_sha256 VARCHAR NOT NULL,  -- the text that was classified
    run_id      VARCHAR NOT NULL
);
CREATE TABLE sdg_assignments (
    rec_id      VARCHAR NOT NULL,
    goal        VARCHAR NOT NULL,
    target      VARCHAR,           -- NULL for a goal-level assignment
    score       DOUBLE NOT NULL,
    rank        INTEGER NOT NULL,
    fallback    BOOLEAN NOT NULL,
    model_id    VARCHAR NOT NULL,
    evidence    VARCHAR[],
    text_sha256 VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL
);
CREATE TABLE clusters (
    cluster_id      VARCHAR NOT NULL,
    country_iso3    VARCHAR NOT NULL,
    label           VARCHAR NOT NULL,
    top_terms       VARCHAR[],
    main_theme      VARCHAR,
    main_sdg_target VARCHAR,
    size            INTEGER NOT NULL,
    mechanisms      VARCHAR[],
    bodies          VARCHAR[],
    first_date      DATE,
    last_date       DATE,
    run_id          VARCHAR NOT NULL
);
CREATE TABLE cluster_members (
    cluster_id VARCHAR NOT NULL,
    rec_id     VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL
);
CREATE TABLE sdg_goals (code VARCHAR NOT NULL, title VARCHAR NOT NULL);
CREATE TABLE sdg_targets (code VARCHAR NOT NULL, goal VARCHAR NOT NULL, title VARCHAR NOT NULL);
CREATE TABLE sdg_indicators (
    code VARCHAR NOT NULL, target VARCHAR NOT NULL, title VARCHAR NOT NULL, unsd_code VARCHAR, tier VARCHAR
);
CREATE TABLE sdg_indicator_targets (indicator VARCHAR NOT NULL, target VARCHAR NOT NULL);
CREATE TABLE indicator_observations (
    indicator_code VARCHAR NOT NULL,
    series_code    VARCHAR,
    geo_code       VARCHAR,
    geo_name       VARCHAR,
    country_iso3   VARCHAR,
    year_start     INTEGER NOT NULL,
    year_end       INTEGER NOT NULL,
    period         VARCHAR,
    time_raw       VARCHAR,
    value          DOUBLE,
    value_raw      VARCHAR NOT NULL,
    unit           VARCHAR,
    dimensions     JSON,             -- {"Sex": "Female", "Age": "15-24"}; {} for totals
    is_total       BOOLEAN NOT NULL,
    source         VARCHAR,
    dataset        VARCHAR NOT NULL,
    file           VARCHAR NOT NULL,
    row            INTEGER,
    run_id         VARCHAR NOT NULL
);
CREATE TABLE indicator_files (
    dataset     VARCHAR NOT NULL,
    file        VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    rows        INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    run_id      VARCHAR NOT NULL
);
`,
	// 3: repair values written by earlier versions.
	// Indicator breakdowns were stored as a JSON string holding the
	// object's text ("{\"Sex\":\"Female\"}" as a string), so that
	// dimensions->>'Sex' was NULL: store the object itself.
	// A cluster's main theme and main SDG target were one member's whole
	// label list joined with the four characters \x1f: recompute them as
	// clustering does, the label most members carry among their confident
	// labels, the alphabetically first on a tie.
	`
UPDATE indicator_observations SET dimensions = json(dimensions->>'$')
WHERE json_type(dimensions) = 'VARCHAR' AND json_valid(dimensions->>'$');
UPDATE clusters SET main_theme = (
    SELECT first(label ORDER BY n DESC, label) FROM (
        SELECT t.label, count(DISTINCT t.rec_id) AS n
        FROM cluster_members m JOIN theme_assignments t ON t.rec_id = m.rec_id
        WHERE m.cluster_id = clusters.cluster_id AND NOT t.fallback AND t.label <> 'unclassified'
        GROUP BY t.label))
WHERE contains(main_theme, '\x1f');
UPDATE clusters SET main_sdg_target = (
    SELECT first(target ORDER BY n DESC, target) FROM (
        SELECT a.target, count(DISTINCT a.rec_id) AS n
        FROM cluster_members m JOIN sdg_assignments a ON a.rec_id = m.rec_id
        WHERE m.cluster_id = clusters.cluster_id AND a.target IS NOT NULL AND NOT a.fallback
        GROUP BY a.target))
WHERE contains(main_sdg_target, '\x1f');
`,
	// 4: the language of each text, the view linking a text in another
	// language to the English one of the same paragraph, and how labels of
	// a text in another language were obtained: inherited from that English
	// text (inherited_from), or not at all (reason). The view is created
	// here, not with the reporting views, because it needs the column.
	`
ALTER TABLE recommendations ADD COLUMN IF NOT EXISTS language VARCHAR;  -- ISO 639-1: en, fr, es, ru, ar, zh; NULL unknown
CREATE TABLE IF NOT EXISTS assignment_notes (
    rec_id         VARCHAR NOT NULL,
    task           VARCHAR NOT NULL,  -- upr-info-issues | uhri-themes | sdg
    model_id       VARCHAR NOT NULL,
    language       VARCHAR NOT NULL,  -- of the text
    inherited_from VARCHAR,           -- rec_id of the English twin whose labels were copied
    reason         VARCHAR,           -- why no label was given, e.g. "language fr: no model"
    run_id         VARCHAR NOT NULL
);
` + translationsView,
}

// exportTables are written to the Parquet snapshot. Tables with a country
// are Hive-partitioned by it (recommendations/country_iso3=GBR/…), so a
// reader who needs one country reads one folder. Small tables are written
// in a stable order; the large ones in storage order, since sorting them
// cost a third of the publication time at UHRI scale.
var exportTables = []struct{ name, orderBy, partition string }{
	{"recommendations", "", "country_iso3"},
	{"recommendation_sources", "", ""},
	{"source_labels", "", ""},
	{"input_files", "file_sha256, format", ""},
	{"ingest_errors", "run_id, file, row", ""},
	{"runs", "started_at, run_id", ""},
	{"models", "model_id", ""},
	{"theme_assignments", "", ""},
	{"sdg_assignments", "", ""},
	{"assignment_notes", "", ""},
	{"clusters", "", "country_iso3"},
	{"cluster_members", "", ""},
	{"sdg_goals", "code", ""},
	{"sdg_targets", "code", ""},
	{"sdg_indicators", "code", ""},
	{"sdg_indicator_targets", "indicator, target", ""},
	{"indicator_observations", "", ""},
	{"indicator_files", "dataset, file", ""},
}
