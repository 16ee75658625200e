-- 002: checkpoints, artefacts, datasets, projects, run tags and run notes.
-- Large binaries stay on disk under the store's `FILE-data/` folder; rows hold their
-- path (relative to that folder where possible) and sha256, so the database stays small.

CREATE TABLE projects (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  -- The project folder on disk; one row per folder.
  path       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER REFERENCES projects (id) ON DELETE SET NULL,
  source_folder TEXT NOT NULL,
  -- e.g. 'imagefolder', 'coco', 'yolo', 'voc', 'csv'.
  format        TEXT NOT NULL,
  -- JSON object: images, classes, per-split and per-class counts.
  counts_json   TEXT NOT NULL DEFAULT '{}',
  -- sha256 over the dataset's file list and contents, to tell whether it changed.
  content_hash  TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE INDEX datasets_content_hash ON datasets (content_hash);

-- Free text a person writes about a run; tags live in run_tags.
ALTER TABLE runs ADD COLUMN notes TEXT;
ALTER TABLE runs ADD COLUMN project_id INTEGER REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN dataset_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL;

CREATE TABLE run_tags (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  tag    TEXT NOT NULL,
  PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;

CREATE INDEX run_tags_tag ON run_tags (tag);

CREATE TABLE checkpoints (
  id           INTEGER PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch        INTEGER NOT NULL,
  step         INTEGER NOT NULL,
  path         TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  -- The metric that judged this checkpoint (e.g. 'val/top1') and its value, if any.
  metric_name  TEXT,
  metric_value REAL,
  -- At most one best checkpoint per run (enforced by the index below).
  is_best      INTEGER NOT NULL DEFAULT 0 CHECK (is_best IN (0, 1)),
  created_at   TEXT NOT NULL
);

CREATE INDEX checkpoints_run ON checkpoints (run_id, step);
CREATE UNIQUE INDEX checkpoints_one_best ON checkpoints (run_id) WHERE is_best = 1;

CREATE TABLE artefacts (
  id         INTEGER PRIMARY KEY,
  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  -- e.g. 'predictions', 'confusion_matrix', 'pr_curve', 'activations', 'embeddings', 'image'.
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  -- Exactly one of path (a file under the data folder) and blob (small payloads inline).
  path       TEXT,
  blob       BLOB,
  sha256     TEXT NOT NULL,
  meta_json  TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  CHECK ((path IS NULL) <> (blob IS NULL))
);

CREATE INDEX artefacts_run_kind ON artefacts (run_id, kind);
