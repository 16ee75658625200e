import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

const SHA256 = /^[0-9a-f]{64}$/;

/** A saved model checkpoint: the weights live in a file, the row references it by path and checksum. */
export interface NewCheckpoint {
  runId: string;
  epoch: number;
  step: number;
  /** Preferably relative to the store's data folder (`FILE-data/`), so the pair can be moved together. */
  path: string;
  /** Lower-case hex sha256 of the file's bytes. */
  sha256: string;
  /** The metric that judged it, e.g. `{ name: 'val/top1', value: 0.91 }`. */
  metric?: { name: string; value: number };
  /** Marks it the run's best checkpoint; the previous best loses the flag in the same transaction. */
  isBest?: boolean;
}

export interface Checkpoint {
  id: number;
  runId: string;
  epoch: number;
  step: number;
  path: string;
  sha256: string;
  metric: { name: string; value: number } | null;
  isBest: boolean;
  createdAt: string;
}

/**
 * A debug or evaluation artefact. Conventional kinds: `predictions`, `confusion_matrix`,
 * `pr_curve`, `activations`, `embeddings`, `image`. Exactly one of `path` (large payloads,
 * a file under the data folder, with its `sha256`) and `blob` (small payloads inline; the
 * checksum is computed here).
 */
export type NewArtefact = {
  runId: string;
  kind: string;
  name: string;
  meta?: Record<string, unknown>;
} & ({ path: string; sha256: string; blob?: undefined } | { blob: Uint8Array; path?: undefined; sha256?: undefined });

export interface Artefact {
  id: number;
  runId: string;
  kind: string;
  name: string;
  path: string | null;
  blob: Buffer | null;
  sha256: string;
  meta: Record<string, unknown>;
  createdAt: string;
}

interface CheckpointRow {
  id: number;
  run_id: string;
  epoch: number;
  step: number;
  path: string;
  sha256: string;
  metric_name: string | null;
  metric_value: number | null;
  is_best: number;
  created_at: string;
}

interface ArtefactRow {
  id: number;
  run_id: string;
  kind: string;
  name: string;
  path: string | null;
  blob: Buffer | null;
  sha256: string;
  meta_json: string;
  created_at: string;
}

/** The `checkpoints` and `artefacts` tables (migration 002). */
export class ArtefactRepository {
  private readonly runExists;
  private readonly clearBest;
  private readonly insertCheckpoint;
  private readonly selectCheckpoints;
  private readonly insertArtefact;
  private readonly selectArtefacts;
  private readonly selectArtefactsOfKind;
  private readonly addCheckpointTx;
  private readonly selectCheckpoint;
  private readonly deleteCheckpoint;
  private readonly pruneTx;

  constructor(
    db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.runExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE id = ?');
    this.clearBest = db.prepare('UPDATE checkpoints SET is_best = 0 WHERE run_id = ? AND is_best = 1');
    this.insertCheckpoint = db.prepare(
      `INSERT INTO checkpoints (run_id, epoch, step, path, sha256, metric_name, metric_value, is_best, created_at)
       VALUES (@run_id, @epoch, @step, @path, @sha256, @metric_name, @metric_value, @is_best, @created_at) RETURNING *`,
    );
    this.selectCheckpoints = db.prepare<[string], CheckpointRow>('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step, id');
    this.insertArtefact = db.prepare(
      `INSERT INTO artefacts (run_id, kind, name, path, blob, sha256, meta_json, created_at)
       VALUES (@run_id, @kind, @name, @path, @blob, @sha256, @meta_json, @created_at) RETURNING *`,
    );
    this.selectArtefacts = db.prepare<[string], ArtefactRow>('SELECT * FROM artefacts WHERE run_id = ? ORDER BY id');
    this.selectArtefactsOfKind = db.prepare<[string, string], ArtefactRow>('SELECT * FROM artefacts WHERE run_id = ? AND kind = ? ORDER BY id');
    this.selectCheckpoint = db.prepare<[number], CheckpointRow>('SELECT * FROM checkpoints WHERE id = ?');
    this.deleteCheckpoint = db.prepare('DELETE FROM checkpoints WHERE id = ?');
    this.pruneTx = db.transaction((runId: string, keepLatest: number) => {
      const rows = this.selectCheckpoints.all(runId);
      const latest = new Set(rows.slice(Math.max(0, rows.length - keepLatest)).map((r) => r.id));
      const removed = rows.filter((r) => r.is_best !== 1 && !latest.has(r.id));
      for (const r of removed) this.deleteCheckpoint.run(r.id);
      const stillReferenced = new Set(rows.filter((r) => !removed.includes(r)).map((r) => r.path));
      return { removed: removed.map(toCheckpoint), stillReferenced };
    });
    this.addCheckpointTx = db.transaction((row: Record<string, unknown>) => {
      if (row.is_best === 1) this.clearBest.run(row.run_id);
      return this.insertCheckpoint.get(row) as CheckpointRow;
    });
  }

  addCheckpoint(cp: NewCheckpoint): Checkpoint {
    if (!Number.isInteger(cp.epoch) || !Number.isInteger(cp.step)) throw new Error(`Checkpoint epoch and step must be integers, got epoch ${cp.epoch}, step ${cp.step}`);
    if (!cp.path) throw new Error('A checkpoint needs a path');
    checkSha(cp.sha256, `Checkpoint ${cp.path}`);
    if (cp.metric && (!cp.metric.name || !Number.isFinite(cp.metric.value))) {
      throw new Error(`Checkpoint metric needs a name and a finite value, got ${JSON.stringify(cp.metric)}`);
    }
    this.requireRun(cp.runId);
    const row = this.addCheckpointTx({
      run_id: cp.runId,
      epoch: cp.epoch,
      step: cp.step,
      path: cp.path,
      sha256: cp.sha256,
      metric_name: cp.metric?.name ?? null,
      metric_value: cp.metric?.value ?? null,
      is_best: cp.isBest ? 1 : 0,
      created_at: this.now().toISOString(),
    });
    return toCheckpoint(row);
  }

  /** Oldest step first; the last element is the one to resume from. */
  listCheckpoints(runId: string): Checkpoint[] {
    return this.selectCheckpoints.all(runId).map(toCheckpoint);
  }

  getCheckpoint(id: number): Checkpoint | undefined {
    const row = this.selectCheckpoint.get(id);
    return row && toCheckpoint(row);
  }

  /**
   * Keeps the run's best checkpoint and its `keepLatest` newest ones, deleting the other
   * rows. Returns the deleted rows and the paths no remaining row references — the files
   * the caller may now remove (a best and a latest checkpoint may share one file).
   */
  pruneCheckpoints(runId: string, keepLatest: number): { removed: Checkpoint[]; unreferencedPaths: string[] } {
    if (!Number.isInteger(keepLatest) || keepLatest < 1) throw new Error(`keepLatest must be a positive integer, got ${keepLatest}`);
    const { removed, stillReferenced } = this.pruneTx(runId, keepLatest);
    const unreferencedPaths = [...new Set(removed.map((c) => c.path))].filter((p) => !stillReferenced.has(p));
    return { removed, unreferencedPaths };
  }

  addArtefact(a: NewArtefact): Artefact {
    if (!a.kind || !a.name) throw new Error(`An artefact needs a kind and a name, got kind ${JSON.stringify(a.kind)}, name ${JSON.stringify(a.name)}`);
    const hasPath = typeof a.path === 'string' && a.path.length > 0;
    const hasBlob = a.blob instanceof Uint8Array;
    if (hasPath === hasBlob) throw new Error(`Artefact ${a.kind}/${a.name} needs exactly one of path and blob`);
    let sha256: string;
    if (hasBlob) {
      sha256 = createHash('sha256').update(a.blob!).digest('hex');
    } else {
      checkSha(a.sha256, `Artefact ${a.kind}/${a.name}`);
      sha256 = a.sha256!;
    }
    this.requireRun(a.runId);
    const row = this.insertArtefact.get({
      run_id: a.runId,
      kind: a.kind,
      name: a.name,
      path: hasPath ? a.path : null,
      blob: hasBlob ? Buffer.from(a.blob!.buffer, a.blob!.byteOffset, a.blob!.byteLength) : null,
      sha256,
      meta_json: JSON.stringify(a.meta ?? {}),
      created_at: this.now().toISOString(),
    }) as ArtefactRow;
    return toArtefact(row);
  }

  /** In insertion order, optionally only one kind. */
  listArtefacts(runId: string, kind?: string): Artefact[] {
    const rows = kind === undefined ? this.selectArtefacts.all(runId) : this.selectArtefactsOfKind.all(runId, kind);
    return rows.map(toArtefact);
  }

  private requireRun(runId: string): void {
    if (!this.runExists.get(runId)) throw new Error(`No run with id "${runId}"`);
  }
}

function checkSha(sha: unknown, what: string): void {
  if (typeof sha !== 'string' || !SHA256.test(sha)) throw new Error(`${what}: sha256 must be 64 lower-case hex digits, got ${JSON.stringify(sha)}`);
}

function toCheckpoint(r: CheckpointRow): Checkpoint {
  return {
    id: r.id,
    runId: r.run_id,
    epoch: r.epoch,
    step: r.step,
    path: r.path,
    sha256: r.sha256,
    metric: r.metric_name === null || r.metric_value === null ? null : { name: r.metric_name, value: r.metric_value },
    isBest: r.is_best === 1,
    createdAt: r.created_at,
  };
}

function toArtefact(r: ArtefactRow): Artefact {
  return {
    id: r.id,
    runId: r.run_id,
    kind: r.kind,
    name: r.name,
    path: r.path,
    blob: r.blob,
    sha256: r.sha256,
    meta: JSON.parse(r.meta_json) as Record<string, unknown>,
    createdAt: r.created_at,
  };
}
