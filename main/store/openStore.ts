import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MetricSeries, RunSummary } from '../core';
import { migrate } from './migrate';
import { ArtefactRepository, type Artefact, type Checkpoint, type NewArtefact, type NewCheckpoint } from './artefacts';
import { MetricRepository, type DownsampledSeries, type MetricRow } from './metrics';
import { storeDataDir } from './paths';
import { StaleRunRecovery, type RecoveredRun } from './recovery';
import { RUN_ID_PATTERN } from './runId';
import { samplePredictionsArtefact, samplePredictionsOf, SAMPLE_PREDICTIONS_KIND, type SamplePredictions } from './samplePredictions';
import { DataFolder, type StoredFile } from './runFiles';
import { RunRepository, type NewRun, type RunningInfo, type RunOutcome, type StoredRun } from './runs';

/** A checkpoint to write: its bytes go to a file under the run's folder, its row to the table. */
export interface CheckpointToSave {
  runId: string;
  epoch: number;
  step: number;
  bytes: Uint8Array;
  metric?: { name: string; value: number };
  isBest?: boolean;
  /** How many of the newest checkpoints to keep besides the best one (default 1). */
  keepLatest?: number;
}

/** The experiment store: one SQLite file plus a `FILE-data/` folder for large artefacts. */
export interface ExperimentStore {
  readonly file: string;
  /** Folder for checkpoints and activations; created on first `ensureDataDir()`. */
  readonly dataDir: string;
  /** Schema version after migration. */
  readonly schemaVersion: number;
  /** The raw connection, for repositories added by later migrations and for tests; UI code never touches it. */
  readonly db: Database.Database;
  ensureDataDir(): string;
  createRun(run: NewRun): string;
  markRunning(id: string, info: RunningInfo): void;
  /** Final run → queued again (same id, metrics and checkpoints kept), with the hyper-parameters the resume trains with. */
  reopenRun(id: string, hyperParams: Record<string, unknown>): void;
  finishRun(id: string, outcome: RunOutcome): void;
  appendMetrics(id: string, rows: readonly MetricRow[]): void;
  listRuns(): RunSummary[];
  getRun(id: string): StoredRun | undefined;
  getMetrics(id: string, names?: readonly string[]): MetricSeries[];
  /** One series reduced in SQL to `buckets` step ranges with min/max/last each; at most 2·buckets chart points. */
  getMetricsDownsampled(id: string, name: string, buckets: number): DownsampledSeries;
  /** Folder for one run's large files: `<dataDir>/runs/<id>` (not created here). */
  runDataDir(id: string): string;
  /**
   * Deletes a run with its metrics, checkpoints, artefacts and tags, and its folder under
   * the data folder. A running run is refused unless `force`. False when there was no such run.
   */
  deleteRun(id: string, options?: { force?: boolean }): boolean;
  addCheckpoint(checkpoint: NewCheckpoint): Checkpoint;
  listCheckpoints(runId: string): Checkpoint[];
  getCheckpoint(id: number): Checkpoint | undefined;
  /**
   * Writes a checkpoint file atomically under `runs/<id>/checkpoints/`, then records it,
   * then prunes: older checkpoints that are neither the best nor among the newest
   * `keepLatest` lose their rows and files. A kill at any point leaves every recorded
   * checkpoint's file complete.
   */
  saveCheckpoint(checkpoint: CheckpointToSave): { checkpoint: Checkpoint; file: StoredFile };
  /** A checkpoint file's bytes, verified against the recorded sha256. */
  readCheckpoint(checkpoint: Checkpoint): Buffer;
  /** Absolute path of a file the store references by a data-folder-relative path. */
  dataPath(relative: string): string;
  addArtefact(artefact: NewArtefact): Artefact;
  listArtefacts(runId: string, kind?: string): Artefact[];
  /** Keeps one epoch's sample predictions (an inline JSON artefact, ./samplePredictions). */
  addSamplePredictions(runId: string, samples: SamplePredictions): Artefact;
  /** The run's sample predictions, one per epoch, oldest first. */
  listSamplePredictions(runId: string): SamplePredictions[];
  /** Replaces the run's notes; null or blank text clears them. */
  setRunNotes(id: string, notes: string | null): void;
  /** Replaces the run's tags; returns them trimmed, de-duplicated and sorted. */
  setRunTags(id: string, tags: readonly string[]): string[];
  /** Marks queued/running runs of this host whose trainer pid is gone as failed (also done by openStore). */
  recoverStaleRuns(): RecoveredRun[];
  /** Runs recovered when this store was opened. */
  readonly recoveredAtOpen: readonly RecoveredRun[];
  /** A consistent copy of the database via SQLite's online backup API; writers are not blocked. */
  backup(destinationFile: string): Promise<void>;
  close(): void;
}

export interface OpenStoreOptions {
  /** Clock for timestamps and run ids; tests pass a fixed one. */
  now?: () => Date;
  /** Skip stale-run recovery at open (for tools that must not change anything). Default false. */
  skipRecovery?: boolean;
}

/**
 * Opens (creating if needed) and migrates a store. WAL lets the UI read while a trainer
 * process writes; synchronous=NORMAL under WAL never corrupts the file on a crash or
 * `kill -9` (at worst a power cut loses the last commits), and it is what makes per-batch
 * metric commits cheap. busy_timeout covers the short moments when two writers meet.
 */
export function openStore(file: string, options: OpenStoreOptions = {}): ExperimentStore {
  const now = options.now ?? (() => new Date());
  const resolved = path.resolve(file);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  const db = new Database(resolved);
  let schemaVersion: number;
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    schemaVersion = migrate(db, resolved);
  } catch (e) {
    db.close();
    throw e;
  }

  const runs = new RunRepository(db, now);
  const metrics = new MetricRepository(db);
  const artefacts = new ArtefactRepository(db, now);
  const recovery = new StaleRunRecovery(db, now);
  const dataDir = storeDataDir(resolved);
  const files = new DataFolder(dataDir);
  const runDataDir = (id: string) => {
    // The id becomes a path segment that deleteRun removes recursively: only well-formed ids.
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`Not a run id: ${JSON.stringify(id)}`);
    return path.join(dataDir, 'runs', id);
  };
  let recoveredAtOpen: RecoveredRun[] = [];
  if (!options.skipRecovery) {
    try {
      recoveredAtOpen = recovery.recover('found when the store was opened');
    } catch (e) {
      db.close();
      throw e;
    }
  }

  return {
    file: resolved,
    dataDir,
    schemaVersion,
    db,
    ensureDataDir: () => {
      fs.mkdirSync(dataDir, { recursive: true });
      return dataDir;
    },
    createRun: (run) => runs.create(run),
    markRunning: (id, info) => runs.markRunning(id, info),
    reopenRun: (id, hyperParams) => runs.reopen(id, hyperParams),
    finishRun: (id, outcome) => runs.finish(id, outcome),
    appendMetrics: (id, rows) => metrics.append(id, rows),
    listRuns: () => runs.list(),
    getRun: (id) => runs.get(id),
    getMetrics: (id, names) => metrics.series(id, names),
    getMetricsDownsampled: (id, name, buckets) => metrics.downsample(id, name, buckets),
    runDataDir,
    deleteRun: (id, opts = {}) => {
      const deleted = runs.delete(id, opts.force ?? false);
      if (!deleted) return false;
      if (RUN_ID_PATTERN.test(id)) fs.rmSync(runDataDir(id), { recursive: true, force: true });
      return true;
    },
    addCheckpoint: (cp) => artefacts.addCheckpoint(cp),
    listCheckpoints: (runId) => artefacts.listCheckpoints(runId),
    getCheckpoint: (id) => artefacts.getCheckpoint(id),
    saveCheckpoint: (cp) => {
      if (!RUN_ID_PATTERN.test(cp.runId)) throw new Error(`Not a run id: ${JSON.stringify(cp.runId)}`);
      const folder = `runs/${cp.runId}/checkpoints`;
      files.removeLeftoverTemporaries(folder);
      // A new name every time: a recorded checkpoint's file is never overwritten.
      const base = `${folder}/step-${String(cp.step).padStart(8, '0')}`;
      let name = `${base}.ckpt`;
      for (let n = 2; fs.existsSync(files.resolve(name)); n++) name = `${base}-${n}.ckpt`;
      const file = files.write(name, cp.bytes);
      const checkpoint = artefacts.addCheckpoint({ runId: cp.runId, epoch: cp.epoch, step: cp.step, path: file.path, sha256: file.sha256, metric: cp.metric, isBest: cp.isBest });
      for (const stale of artefacts.pruneCheckpoints(cp.runId, cp.keepLatest ?? 1).unreferencedPaths) {
        if (stale !== file.path) files.remove(stale);
      }
      return { checkpoint, file };
    },
    readCheckpoint: (cp) => files.read(cp.path, cp.sha256),
    dataPath: (relative) => files.resolve(relative),
    addArtefact: (a) => artefacts.addArtefact(a),
    listArtefacts: (runId, kind) => artefacts.listArtefacts(runId, kind),
    addSamplePredictions: (runId, samples) => artefacts.addArtefact(samplePredictionsArtefact(runId, samples)),
    listSamplePredictions: (runId) => samplePredictionsOf(artefacts.listArtefacts(runId, SAMPLE_PREDICTIONS_KIND)),
    setRunNotes: (id, notes) => runs.setNotes(id, notes),
    setRunTags: (id, tags) => runs.setTags(id, tags),
    recoverStaleRuns: () => recovery.recover('found by a stale-run check'),
    recoveredAtOpen,
    backup: async (destinationFile) => {
      const dest = path.resolve(destinationFile);
      if (dest === resolved) throw new Error(`Cannot back up ${resolved} onto itself`);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      await db.backup(dest);
    },
    close: () => db.close(),
  };
}
