-- 001: runs and their metric series.
-- Append-only: never edit a shipped migration; add 002-*.sql instead.
-- Later migrations add checkpoints, artefacts, datasets and projects.

CREATE TABLE runs (
  id                TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
  -- The exact IR document the run trained, as given (key order kept).
  graph_json        TEXT NOT NULL,
  -- sha256 of the canonical IR JSON (sorted keys), to find runs of the same model.
  ir_hash           TEXT NOT NULL,
  hyper_params_json TEXT NOT NULL DEFAULT '{}',
  backend           TEXT,
  seed              INTEGER,
  pid               INTEGER,
  host              TEXT,
  -- ISO-8601 UTC timestamps with milliseconds; they sort as text.
  created_at        TEXT NOT NULL,
  started_at        TEXT,
  finished_at       TEXT,
  epochs            INTEGER NOT NULL DEFAULT 0,
  images_per_second REAL,
  error             TEXT
);

CREATE INDEX runs_created_at ON runs (created_at);
CREATE INDEX runs_ir_hash ON runs (ir_hash);

-- One row per (run, metric name, step). WITHOUT ROWID keeps a series contiguous
-- in the primary-key b-tree, so reading a series is one range scan.
CREATE TABLE metrics (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name   TEXT NOT NULL,
  step   INTEGER NOT NULL,
  epoch  INTEGER NOT NULL,
  value  REAL NOT NULL,
  PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

-- The latest point of every series, kept up to date by appendMetrics, so that
-- listing runs reads a few rows per run instead of scanning every metric row.
CREATE TABLE metric_latest (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name   TEXT NOT NULL,
  step   INTEGER NOT NULL,
  epoch  INTEGER NOT NULL,
  value  REAL NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
