import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MetricSeries, RunSummary } from '../core';
import { migrate } from './migrate';
import { MetricRepository, type MetricRow } from './metrics';
import { storeDataDir } from './paths';
import { RunRepository, type NewRun, type RunOutcome, type StoredRun } from './runs';

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
  markRunning(id: string, info: { pid: number; backend: string }): void;
  finishRun(id: string, outcome: RunOutcome): void;
  appendMetrics(id: string, rows: readonly MetricRow[]): void;
  listRuns(): RunSummary[];
  getRun(id: string): StoredRun | undefined;
  getMetrics(id: string, names?: readonly string[]): MetricSeries[];
  close(): void;
}

export interface OpenStoreOptions {
  /** Clock for timestamps and run ids; tests pass a fixed one. */
  now?: () => Date;
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
  const dataDir = storeDataDir(resolved);

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
    finishRun: (id, outcome) => runs.finish(id, outcome),
    appendMetrics: (id, rows) => metrics.append(id, rows),
    listRuns: () => runs.list(),
    getRun: (id) => runs.get(id),
    getMetrics: (id, names) => metrics.series(id, names),
    close: () => db.close(),
  };
}
