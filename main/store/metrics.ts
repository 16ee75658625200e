import type Database from 'better-sqlite3';
import type { MetricSeries } from '../core';

/** One logged value. Names follow DESIGN.md §3: `train/loss`, `val/top1`, `train/loss/<head>`… */
export interface MetricRow {
  step: number;
  epoch: number;
  name: string;
  value: number;
}

/**
 * The `metrics` table and its `metric_latest` companion. A trainer logs every few steps,
 * so `append` is the hot path: one transaction per call, statements prepared once, and
 * only one `metric_latest` upsert per series in the batch rather than one per row.
 * Re-logging an existing (name, step) replaces it, so a resumed run can repeat steps.
 */
export class MetricRepository {
  private readonly insert;
  private readonly upsertLatest;
  private readonly runExists;
  private readonly seriesAll;
  private readonly seriesOne;
  private readonly appendTx;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, value) VALUES (?, ?, ?, ?, ?)');
    this.upsertLatest = db.prepare(
      `INSERT INTO metric_latest (run_id, name, step, epoch, value) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET step = excluded.step, epoch = excluded.epoch, value = excluded.value
       WHERE excluded.step >= metric_latest.step`,
    );
    this.runExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE id = ?');
    this.seriesAll = db.prepare<[string], MetricRow>('SELECT name, step, epoch, value FROM metrics WHERE run_id = ? ORDER BY name, step');
    this.seriesOne = db.prepare<[string, string], MetricRow>('SELECT name, step, epoch, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step');
    this.appendTx = db.transaction((runId: string, rows: readonly MetricRow[]) => {
      const latest = new Map<string, MetricRow>();
      for (const r of rows) {
        this.insert.run(runId, r.name, r.step, r.epoch, r.value);
        const prev = latest.get(r.name);
        if (!prev || r.step >= prev.step) latest.set(r.name, r);
      }
      for (const r of latest.values()) this.upsertLatest.run(runId, r.name, r.step, r.epoch, r.value);
    });
  }

  append(runId: string, rows: readonly MetricRow[]): void {
    if (rows.length === 0) return;
    rows.forEach(checkRow);
    // Checked here so the caller gets a message naming the run, not "FOREIGN KEY constraint failed".
    if (!this.runExists.get(runId)) throw new Error(`No run with id "${runId}"`);
    this.appendTx(runId, rows);
  }

  /**
   * Series ordered by step. Without `names`: every series, by name. With `names`: those
   * series in the order asked, an unknown name giving an empty series (so a chart can
   * ask for `val/top1` before the first validation pass has logged it).
   */
  series(runId: string, names?: readonly string[]): MetricSeries[] {
    if (names) return names.map((name) => ({ name, points: this.seriesOne.all(runId, name).map(toPoint) }));
    const out: MetricSeries[] = [];
    let current: MetricSeries | undefined;
    for (const row of this.seriesAll.all(runId)) {
      if (current?.name !== row.name) out.push((current = { name: row.name, points: [] }));
      current.points.push(toPoint(row));
    }
    return out;
  }
}

function toPoint(row: MetricRow) {
  return { step: row.step, epoch: row.epoch, value: row.value };
}

/** SQLite would store NaN as NULL and the contract rejects non-finite numbers: refuse early. */
function checkRow(r: MetricRow): void {
  if (typeof r.name !== 'string' || r.name.length === 0) throw new Error(`Metric name must be a non-empty string, got ${JSON.stringify(r.name)}`);
  if (!Number.isInteger(r.step) || !Number.isInteger(r.epoch)) throw new Error(`Metric ${r.name}: step and epoch must be integers, got step ${r.step}, epoch ${r.epoch}`);
  if (!Number.isFinite(r.value)) {
    throw new Error(`Metric ${r.name} at step ${r.step} is ${r.value}; only finite values can be stored (fail the run instead of logging a diverged loss)`);
  }
}
