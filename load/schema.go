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
	// 4: follow-up: responsible entities, actions, the append-only status
	// history, reviewed labels and lead entities, and the workbooks sent
	// out for review. Rows of status_updates and reviewed_labels are never
	// updated or deleted; current values are views (v_followup_status,
	// v_reviewed_labels, v_responsibility).
	`
CREATE TABLE warehouse_info (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
INSERT INTO warehouse_info SELECT 'warehouse_id', CAST(uuid() AS VARCHAR);
CREATE TABLE entities (
    entity_code       VARCHAR NOT NULL,  -- short code: MOJ, MOH, NHRI, PARL
    name              VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,  -- ministry | agency | parliament | local_government | nhri | other
    parent_code       VARCHAR,
    focal_point_name  VARCHAR,
    focal_point_email VARCHAR,
    deputy_name       VARCHAR,
    deputy_email      VARCHAR,
    source            VARCHAR NOT NULL,  -- the config file, a workbook, or "default"
    run_id            VARCHAR NOT NULL
);
CREATE TABLE responsibility_rules (
    scheme      VARCHAR NOT NULL,        -- uhri-theme | upr-info-issue | sdg-goal
    label       VARCHAR NOT NULL,        -- as the scheme writes it; matched case-insensitively
    entity_code VARCHAR NOT NULL,
    priority    INTEGER NOT NULL,        -- lower wins: the order of the schemes in the mapping
    source      VARCHAR NOT NULL
);
CREATE TABLE actions (
    action_id           VARCHAR NOT NULL,
    country_iso3        VARCHAR,
    title               VARCHAR NOT NULL,
    description         VARCHAR,
    lead_entity         VARCHAR,
    supporting_entities VARCHAR[],
    start_date          DATE,
    target_date         DATE,
    sdg_indicators      VARCHAR[],
    budget_line         VARCHAR,
    outcome             VARCHAR,
    public              BOOLEAN NOT NULL,
    source_file         VARCHAR NOT NULL,
    source_row          INTEGER,
    imported_at         TIMESTAMP NOT NULL,
    run_id              VARCHAR NOT NULL
);
CREATE TABLE action_links (
    action_id  VARCHAR NOT NULL,
    rec_id     VARCHAR,                  -- one of rec_id, cluster_id
    cluster_id VARCHAR,
    run_id     VARCHAR NOT NULL
);
CREATE TABLE status_updates (
    update_id        VARCHAR NOT NULL,   -- hash of what the update says: the same update read twice is one row
    rec_id           VARCHAR,            -- one of rec_id, action_id
    action_id        VARCHAR,
    status           VARCHAR NOT NULL,   -- not_started | in_progress | partially_implemented | implemented | not_applicable
    status_raw       VARCHAR,            -- as written in the source
    status_date      DATE NOT NULL,
    text             VARCHAR,
    evidence_url     VARCHAR,
    reporting_entity VARCHAR,
    public           BOOLEAN NOT NULL,
    source_format    VARCHAR NOT NULL,
    source_file      VARCHAR NOT NULL,
    source_sheet     VARCHAR,
    source_row       INTEGER,
    file_sha256      VARCHAR NOT NULL,
    export_id        VARCHAR,            -- the export the workbook came from, if any
    imported_at      TIMESTAMP NOT NULL,
    import_seq       BIGINT NOT NULL,    -- order of import, across runs
    run_id           VARCHAR NOT NULL
);
CREATE TABLE reviewed_labels (
    review_id       VARCHAR NOT NULL,    -- hash of what the review says
    rec_id          VARCHAR NOT NULL,
    scheme          VARCHAR NOT NULL,    -- uhri-theme | upr-info-issue | sdg-target | lead-entity
    labels          VARCHAR[] NOT NULL,  -- the corrected set; replaces the model's labels of the scheme
    reviewer_entity VARCHAR,
    review_date     DATE,
    source_file     VARCHAR NOT NULL,
    source_sheet    VARCHAR,
    source_row      INTEGER,
    file_sha256     VARCHAR NOT NULL,
    imported_at     TIMESTAMP NOT NULL,
    import_seq      BIGINT NOT NULL,
    run_id          VARCHAR NOT NULL
);
CREATE TABLE followup_exports (
    export_id    VARCHAR NOT NULL,       -- the run id of the export
    file         VARCHAR NOT NULL,
    entity_code  VARCHAR NOT NULL,       -- SECRETARIAT for the workbook with everything
    country_iso3 VARCHAR,
    exported_at  TIMESTAMP NOT NULL,
    rec_ids      VARCHAR[] NOT NULL
);
`,
	// 5: the language of each text, the view linking a text in another
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
	// 6: what the cluster stage keeps of each cluster to place new
	// recommendations without reading its members again. Not exported:
	// it is the stage's working state, not data for readers.
	`
CREATE TABLE IF NOT EXISTS cluster_vectors (
    cluster_id   VARCHAR NOT NULL,
    country_iso3 VARCHAR NOT NULL,
    vectoriser   VARCHAR NOT NULL,  -- sha256 of the vectoriser and the nmirf version that made the sum
    sum          BLOB NOT NULL      -- classify.ClusterSum in its binary form
);
`,
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
	{"entities", "entity_code", ""},
	{"actions", "action_id", ""},
	{"action_links", "action_id, rec_id, cluster_id", ""},
	{"status_updates", "import_seq", ""},
	{"reviewed_labels", "import_seq", ""},
	{"followup_exports", "export_id, entity_code", ""},
}
