/**
 * Schema history, append-only: a released migration is never edited, a change is a new entry.
 * The index + 1 is the schema version stored in SQLite's user_version.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: datasets, runs, scans, and a job log so finished jobs survive a restart.
  `
  CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    source_path TEXT,
    created_at INTEGER NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    summary_json TEXT NOT NULL DEFAULT '{}',
    featurizer_json TEXT,
    files_json TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
    model_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    params_json TEXT NOT NULL DEFAULT '{}',
    featurizer_json TEXT,
    history_json TEXT NOT NULL DEFAULT '[]',
    metrics_json TEXT,
    backend TEXT,
    wall_ms INTEGER,
    weights_dir TEXT,
    tags TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX runs_by_dataset ON runs(dataset_id);
  CREATE TABLE scans (
    id TEXT PRIMARY KEY,
    run_id TEXT REFERENCES runs(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    files_json TEXT NOT NULL DEFAULT '[]',
    stats_json TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    error TEXT
  );
  `,
  // 2: what a run needs to be reloaded and compared (classes, family, outcome), and stored evaluations.
  `
  ALTER TABLE runs ADD COLUMN family TEXT NOT NULL DEFAULT 'records';
  ALTER TABLE runs ADD COLUMN classes_json TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE runs ADD COLUMN job_id TEXT;
  ALTER TABLE runs ADD COLUMN error TEXT;
  ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
  ALTER TABLE runs ADD COLUMN stopped_early INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN train_rows INTEGER;
  ALTER TABLE runs ADD COLUMN val_rows INTEGER;
  CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
    split_kind TEXT NOT NULL,
    split_description TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    accuracy REAL,
    result_json TEXT NOT NULL,
    predictions_path TEXT
  );
  CREATE INDEX evaluations_by_run ON evaluations(run_id);
  `,
  // 3: scans store their results as they go and remember where they stopped, so a cancelled or crashed
  // scan resumes; duplicates are detected in SQLite so memory stays flat whatever the file size.
  `
  ALTER TABLE scans ADD COLUMN name TEXT NOT NULL DEFAULT '';
  ALTER TABLE scans ADD COLUMN cursor_json TEXT NOT NULL DEFAULT '{"file":0,"line":0}';
  ALTER TABLE scans ADD COLUMN job_id TEXT;
  ALTER TABLE scans ADD COLUMN error TEXT;
  CREATE TABLE scan_results (
    scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    score REAL NOT NULL,
    file_index INTEGER NOT NULL,
    line INTEGER NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (scan_id, url)
  ) WITHOUT ROWID;
  CREATE INDEX scan_results_by_score ON scan_results(scan_id, score DESC);
  `,
  // 4: each run's figures and false-positive thresholds on its own validation split (what a sweep chooses
  // on and what a scan's operating points are read from; never the test file).
  `
  ALTER TABLE runs ADD COLUMN validation_json TEXT;
  `,
  // 5: hyperparameter sweeps; each trial is an ordinary run, linked here with what it drew and how it ended.
  `
  CREATE TABLE sweeps (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    dataset_id TEXT REFERENCES datasets(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    spec_json TEXT NOT NULL,
    job_id TEXT,
    error TEXT
  );
  CREATE TABLE sweep_trials (
    sweep_id TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    model_id TEXT NOT NULL,
    point_json TEXT NOT NULL,
    run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
    state TEXT NOT NULL,
    metric REAL,
    epochs INTEGER,
    stopped_at INTEGER,
    PRIMARY KEY (sweep_id, idx)
  );
  CREATE INDEX sweep_trials_by_run ON sweep_trials(run_id);
  `,
  // 6: triage. Verdicts are the analyst's, keyed by the item itself (a URL, a domain, or a dataset record),
  // so a verdict follows the item into every later scan and outlives the scan it was made in. Suppression
  // rules mark results (suppressed_by) instead of dropping them, so every suppression stays countable.
  `
  CREATE TABLE verdicts (
    item TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('malicious', 'benign', 'unsure')),
    note TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    scan_id TEXT,
    run_id TEXT,
    score REAL
  ) WITHOUT ROWID;
  CREATE INDEX verdicts_by_verdict ON verdicts(verdict, updated_at);
  CREATE TABLE suppression_rules (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('exact', 'registered', 'prefix', 'regex', 'conn')),
    pattern TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
  );
  ALTER TABLE scan_results ADD COLUMN suppressed_by TEXT;
  CREATE INDEX scan_results_by_rule ON scan_results(scan_id, suppressed_by);
  `,
  // 7: which process drives a queued / running run or scan, so opening the workspace can tell work whose
  // process is gone (marked interrupted) from work another live front door is doing right now.
  `
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE scans ADD COLUMN owner_pid INTEGER;
  `,
  // 8: what a result keeps beside its score: for a conn.log 4-tuple, its behaviour string and the flows (file
  // lines) behind each letter, so Scan shows them as Inspect does for behaviour datasets.
  `
  ALTER TABLE scan_results ADD COLUMN detail TEXT;
  `,
  // 9: a run's name (NULL = the default built from its settings, so runs from before keep a readable one), and
  // its batch-level curve (thinned), so a reloaded page draws the batches the live page drew.
  `
  ALTER TABLE runs ADD COLUMN name TEXT;
  ALTER TABLE runs ADD COLUMN batch_curve_json TEXT;
  `,
];
