import os from 'node:os';
import type Database from 'better-sqlite3';
import { GraphIRSchema, type GraphIR, type RunDetail, type RunStatus, type RunSummary } from '../core';
import { irHash } from './canonicalJson';
import { newRunId } from './runId';

/** What a caller supplies to register a run before training starts. */
export interface NewRun {
  name: string;
  /** The exact IR to train; stored verbatim (key order kept) and hashed canonically. */
  graph: GraphIR;
  hyperParams: Record<string, unknown>;
  /** The backend expected or chosen so far; `markRunning` records the one that loaded. */
  backend: string | null;
  seed: number;
  pid?: number;
}

export type FinalStatus = Extract<RunStatus, 'finished' | 'failed' | 'cancelled'>;

export interface RunOutcome {
  status: FinalStatus;
  error?: string;
  imagesPerSecond?: number;
  epochs?: number;
}

/** A RunDetail plus the bookkeeping columns the contract does not carry (yet). */
export interface StoredRun extends RunDetail {
  irHash: string;
  seed: number | null;
  pid: number | null;
  host: string | null;
  startedAt: string | null;
  /** Threads the backend ran with (wasm's pool size; 1 for cpu), recorded when training starts (migration 003). */
  threads: number | null;
  /** Free text written by a person (migration 002). */
  notes: string | null;
  /** Sorted, distinct. */
  tags: string[];
}

interface RunRow {
  id: string;
  name: string;
  status: RunStatus;
  graph_json: string;
  ir_hash: string;
  hyper_params_json: string;
  backend: string | null;
  seed: number | null;
  pid: number | null;
  host: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  epochs: number;
  images_per_second: number | null;
  error: string | null;
  notes: string | null;
  threads: number | null;
}

/** What `markRunning` records about the trainer that picked the run up. */
export interface RunningInfo {
  pid: number;
  backend: string;
  threads?: number;
}

const FINAL: readonly string[] = ['finished', 'failed', 'cancelled'];
const SUMMARY_COLUMNS = 'id, name, status, backend, created_at, finished_at, epochs, error';

/**
 * The `runs` table. Status moves queued → running → finished | failed | cancelled; a
 * queued run may also be cancelled or failed directly. A final status is final: a crash
 * handler cannot overwrite a user's "cancelled" with "failed".
 */
export class RunRepository {
  private readonly insert;
  private readonly toRunning;
  private readonly toFinal;
  private readonly toQueuedAgain;
  private readonly selectOne;
  private readonly selectAll;
  private readonly latestOfRun;
  private readonly latestAll;
  private readonly tagsOfRun;
  private readonly updateNotes;
  private readonly deleteTags;
  private readonly insertTag;
  private readonly deleteOne;
  private readonly setTagsTx;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.insert = db.prepare(
      `INSERT INTO runs (id, name, status, graph_json, ir_hash, hyper_params_json, backend, seed, pid, host, created_at)
       VALUES (@id, @name, 'queued', @graph_json, @ir_hash, @hyper_params_json, @backend, @seed, @pid, @host, @created_at)`,
    );
    this.toRunning = db.prepare(
      `UPDATE runs SET status = 'running', pid = @pid, backend = @backend, threads = @threads, host = @host, started_at = @started_at
       WHERE id = @id AND status = 'queued'`,
    );
    // pid is cleared so that stale-run recovery cannot mistake the old, dead trainer's pid
    // for the new trainer's before that one has marked the run running.
    this.toQueuedAgain = db.prepare(
      `UPDATE runs SET status = 'queued', pid = NULL, error = NULL, finished_at = NULL, hyper_params_json = @hyper_params_json
       WHERE id = @id AND status IN ('finished', 'failed', 'cancelled')`,
    );
    this.toFinal = db.prepare(
      `UPDATE runs SET status = @status, error = @error, finished_at = @finished_at,
         images_per_second = COALESCE(@images_per_second, images_per_second), epochs = COALESCE(@epochs, epochs)
       WHERE id = @id AND status IN ('queued', 'running')`,
    );
    this.selectOne = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
    this.selectAll = db.prepare<[], RunRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, rowid DESC`);
    this.latestOfRun = db.prepare<[string], { name: string; value: number }>('SELECT name, value FROM metric_latest WHERE run_id = ?');
    this.latestAll = db.prepare<[], { run_id: string; name: string; value: number }>('SELECT run_id, name, value FROM metric_latest');
    this.tagsOfRun = db.prepare<[string], string>('SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag').pluck();
    this.updateNotes = db.prepare('UPDATE runs SET notes = ? WHERE id = ?');
    this.deleteTags = db.prepare('DELETE FROM run_tags WHERE run_id = ?');
    this.insertTag = db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)');
    this.deleteOne = db.prepare('DELETE FROM runs WHERE id = ?');
    this.setTagsTx = db.transaction((id: string, tags: readonly string[]) => {
      this.deleteTags.run(id);
      for (const t of tags) this.insertTag.run(id, t);
    });
  }

  /** Replaces the run's notes; `null` or blank clears them. */
  setNotes(id: string, notes: string | null): void {
    const value = notes === null || notes.trim() === '' ? null : notes;
    if (this.updateNotes.run(value, id).changes === 0) throw new Error(`No run with id "${id}"`);
  }

  /** Replaces the run's tags. Tags are trimmed, non-empty and at most 64 characters; duplicates collapse. */
  setTags(id: string, tags: readonly string[]): string[] {
    const clean = [...new Set(tags.map((t) => t.trim()))].sort();
    const bad = clean.filter((t) => t.length === 0 || t.length > 64);
    if (bad.length > 0) throw new Error(`Tags must be 1–64 characters after trimming; got ${bad.map((t) => JSON.stringify(t)).join(', ')}`);
    if (!this.selectOne.get(id)) throw new Error(`No run with id "${id}"`);
    this.setTagsTx(id, clean);
    return clean;
  }

  /**
   * Deletes the row; metrics, checkpoints, artefacts and tags go with it (ON DELETE CASCADE).
   * Returns the deleted row's status, or undefined when there was no such run.
   */
  delete(id: string, force: boolean): StoredRun | undefined {
    const run = this.get(id);
    if (!run) return undefined;
    if (run.status === 'running' && !force) {
      throw new Error(`Run ${id} is running (pid ${run.pid ?? '?'} on ${run.host ?? '?'}); cancel it first, or pass force to delete it anyway`);
    }
    this.deleteOne.run(id);
    return run;
  }

  create(run: NewRun): string {
    if (!run.name.trim()) throw new Error('A run needs a non-empty name');
    const parsed = GraphIRSchema.safeParse(run.graph);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'graph'}: ${i.message}`).join('; ');
      throw new Error(`Run "${run.name}" has an invalid graph: ${problems}`);
    }
    if (!Number.isInteger(run.seed)) throw new Error(`Run seed must be an integer, got ${run.seed}`);
    const createdAt = this.now();
    const row = {
      name: run.name,
      graph_json: JSON.stringify(run.graph),
      ir_hash: irHash(run.graph),
      hyper_params_json: JSON.stringify(run.hyperParams ?? {}),
      backend: run.backend ?? null,
      seed: run.seed,
      pid: run.pid ?? null,
      host: os.hostname(),
      created_at: createdAt.toISOString(),
    };
    // 65,536 suffixes per second: a collision is rare, so retrying a few times is enough.
    for (let attempt = 0; ; attempt++) {
      const id = newRunId(createdAt);
      try {
        this.insert.run({ id, ...row });
        return id;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' || attempt >= 8) throw e;
      }
    }
  }

  markRunning(id: string, info: RunningInfo): void {
    if (info.threads !== undefined && !(Number.isInteger(info.threads) && info.threads > 0)) throw new Error(`threads must be a positive integer, got ${info.threads}`);
    const changes = this.toRunning
      .run({ id, pid: info.pid, backend: info.backend, threads: info.threads ?? null, host: os.hostname(), started_at: this.now().toISOString() })
      .changes;
    if (changes === 0) throw this.transitionError(id, 'running');
  }

  /**
   * Puts a finished, failed or cancelled run back in the queue so a trainer can resume it:
   * the same id, its metrics and checkpoints kept, its error cleared, and its
   * hyper-parameters replaced (a resume may raise the epoch count). A running or queued
   * run is refused, so two resumes of one run cannot race.
   */
  reopen(id: string, hyperParams: Record<string, unknown>): void {
    const changes = this.toQueuedAgain.run({ id, hyper_params_json: JSON.stringify(hyperParams) }).changes;
    if (changes === 0) throw this.transitionError(id, 'queued again (only finished, failed or cancelled runs resume)');
  }

  finish(id: string, outcome: RunOutcome): void {
    if (!FINAL.includes(outcome.status)) throw new Error(`finishRun needs a final status (finished, failed, cancelled), got "${outcome.status}"`);
    if (outcome.epochs !== undefined && !Number.isInteger(outcome.epochs)) throw new Error(`epochs must be an integer, got ${outcome.epochs}`);
    const changes = this.toFinal.run({
      id,
      status: outcome.status,
      error: outcome.error ?? null,
      finished_at: this.now().toISOString(),
      images_per_second: outcome.imagesPerSecond ?? null,
      epochs: outcome.epochs ?? null,
    }).changes;
    if (changes === 0) throw this.transitionError(id, outcome.status);
  }

  /** Newest first; `metrics` holds the latest value of every series. */
  list(): RunSummary[] {
    const latest = new Map<string, Record<string, number>>();
    for (const m of this.latestAll.all()) {
      let record = latest.get(m.run_id);
      if (!record) latest.set(m.run_id, (record = {}));
      record[m.name] = m.value;
    }
    return this.selectAll.all().map((row) => toSummary(row, latest.get(row.id) ?? {}));
  }

  get(id: string): StoredRun | undefined {
    const row = this.selectOne.get(id);
    if (!row) return undefined;
    const metrics: Record<string, number> = {};
    for (const m of this.latestOfRun.all(id)) metrics[m.name] = m.value;
    return {
      ...toSummary(row, metrics),
      graph: JSON.parse(row.graph_json) as GraphIR,
      hyperParams: JSON.parse(row.hyper_params_json) as Record<string, unknown>,
      imagesPerSecond: row.images_per_second,
      irHash: row.ir_hash,
      seed: row.seed,
      pid: row.pid,
      host: row.host,
      startedAt: row.started_at,
      threads: row.threads,
      notes: row.notes,
      tags: this.tagsOfRun.all(id),
    };
  }

  private transitionError(id: string, to: string): Error {
    const row = this.selectOne.get(id);
    if (!row) return new Error(`No run with id "${id}"`);
    return new Error(`Run ${id} is ${row.status}; it cannot become ${to}`);
  }
}

function toSummary(row: Pick<RunRow, 'id' | 'name' | 'status' | 'backend' | 'created_at' | 'finished_at' | 'epochs' | 'error'>, metrics: Record<string, number>): RunSummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    backend: row.backend,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    epochs: row.epochs,
    metrics,
    error: row.error,
  };
}
