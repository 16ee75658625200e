import type Database from 'better-sqlite3';
import type { MetricPoint, MetricSeries } from '../core';

/** One logged value. Names follow DESIGN.md §3: `train/loss`, `val/top1`, `train/loss/<head>`… */
export interface MetricRow {
  step: number;
  epoch: number;
  name: string;
  value: number;
}

/** One bucket of a down-sampled series: the steps it covers and its extreme and last points. */
export interface MetricBucket {
  fromStep: number;
  toStep: number;
  count: number;
  min: MetricPoint;
  max: MetricPoint;
  last: MetricPoint;
}

/**
 * A series reduced to at most `buckets` equal step ranges. `points` is what a chart
 * draws: each bucket's min and max points in step order (one when they coincide), so
 * spikes survive and there are at most 2·buckets of them; when the whole series has no
 * more than 2·buckets points, `points` is the series itself.
 */
export interface DownsampledSeries {
  name: string;
  totalPoints: number;
  buckets: MetricBucket[];
  points: MetricPoint[];
}

interface BucketRow {
  bucket: number;
  from_step: number;
  to_step: number;
  n: number;
  min_value: number;
  min_step: number;
  min_epoch: number;
  max_value: number;
  max_step: number;
  max_epoch: number;
  last_value: number;
  last_step: number;
  last_epoch: number;
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
  private readonly stepRange;
  private readonly bucketed;

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
    this.stepRange = db.prepare<[string, string], { lo: number | null; hi: number | null }>(
      'SELECT min(step) AS lo, max(step) AS hi FROM metrics WHERE run_id = ? AND name = ?',
    );
    // One row per non-empty bucket, without sorting the series: for each step range
    // [f, t], PK range scans find the count and the steps of the min and max value
    // (SQLite's documented bare-column rule: with exactly one min() or max() aggregate,
    // the bare `step` comes from the row holding that extreme), the last step is an index
    // seek, and the three points are then read back by primary key. JS numbers bind as
    // REAL, hence the CASTs that keep the bucket arithmetic in integers.
    const range = 'FROM metrics WHERE run_id = @run AND name = @name AND step BETWEEN r.f AND r.t';
    this.bucketed = db.prepare<{ run: string; name: string; lo: number; span: number; buckets: number }, BucketRow>(
      `WITH RECURSIVE
         p(lo, span, nb) AS (SELECT CAST(@lo AS INTEGER), CAST(@span AS INTEGER), CAST(@buckets AS INTEGER)),
         k(b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM k, p WHERE b + 1 < p.nb),
         r(b, f, t) AS (SELECT b, lo + (b * span + nb - 1) / nb, lo + ((b + 1) * span + nb - 1) / nb - 1 FROM k, p),
         s AS MATERIALIZED (
           SELECT b, f, t,
             (SELECT count(*) ${range}) AS n,
             (SELECT step FROM (SELECT min(value), step ${range})) AS min_step,
             (SELECT step FROM (SELECT max(value), step ${range})) AS max_step,
             (SELECT max(step) ${range}) AS last_step
           FROM r
         )
       SELECT s.b AS bucket, s.f AS from_step, s.t AS to_step, s.n,
              s.min_step, mn.epoch AS min_epoch, mn.value AS min_value,
              s.max_step, mx.epoch AS max_epoch, mx.value AS max_value,
              s.last_step, ls.epoch AS last_epoch, ls.value AS last_value
       FROM s
       JOIN metrics mn ON mn.run_id = @run AND mn.name = @name AND mn.step = s.min_step
       JOIN metrics mx ON mx.run_id = @run AND mx.name = @name AND mx.step = s.max_step
       JOIN metrics ls ON ls.run_id = @run AND ls.name = @name AND ls.step = s.last_step
       ORDER BY s.b`,
    );
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

  /**
   * Down-samples one series in SQL into `buckets` equal step ranges with per-bucket
   * min/max/last; empty buckets (gaps in a sparse series) are left out. An unknown series
   * gives an empty result.
   */
  downsample(runId: string, name: string, buckets: number): DownsampledSeries {
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 1_000_000) throw new Error(`buckets must be an integer from 1 to 1,000,000, got ${buckets}`);
    const { lo, hi } = this.stepRange.get(runId, name)!;
    if (lo === null || hi === null) return { name, totalPoints: 0, buckets: [], points: [] };
    const span = hi - lo + 1;
    const rows = this.bucketed.all({ run: runId, name, lo, span, buckets });
    let totalPoints = 0;
    const out: MetricBucket[] = rows.map((r) => {
      totalPoints += r.n;
      return {
        fromStep: r.from_step,
        toStep: r.to_step,
        count: r.n,
        min: { step: r.min_step, epoch: r.min_epoch, value: r.min_value },
        max: { step: r.max_step, epoch: r.max_epoch, value: r.max_value },
        last: { step: r.last_step, epoch: r.last_epoch, value: r.last_value },
      };
    });
    let points: MetricPoint[];
    if (totalPoints <= 2 * buckets) {
      points = this.seriesOne.all(runId, name).map(toPoint);
    } else {
      points = [];
      for (const b of out) {
        const [first, second] = b.min.step <= b.max.step ? [b.min, b.max] : [b.max, b.min];
        points.push(first);
        if (second.step !== first.step) points.push(second);
      }
    }
    return { name, totalPoints, buckets: out, points };
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
