/**
 * Experiment-store benchmark: JSON on stdout (one object).
 * - metricInsert: rows/s of batched `appendMetrics` (WAL, synchronous=NORMAL), median of 5
 *   trials, each on a fresh store file, 200,000 rows over 4 series in batches of 1,000.
 * - curveRead: latency of `getMetricsDownsampled` on a 100,000-point series to 1,000
 *   buckets, median of 5 reads (the first read included), and the full series read for contrast.
 * Usage: npx tsx tests/bench/store.ts [--rows 200000 --batch 1000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../main/store';
import type { MetricRow } from '../../main/store';
import { sampleGraph } from '../unit/store/helpers';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 200_000);
const batch = arg('batch', 1000);
const trials = 5;
const curvePoints = 100_000;
const buckets = 1000;
const names = ['train/loss', 'train/top1', 'train/lr', 'train/loss/head'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-store-bench-'));
const newRun = { graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 };

function insertTrial(t: number): number {
  const store = openStore(path.join(dir, `insert-${t}.sqlite`));
  const id = store.createRun({ name: 'bench', ...newRun });
  const batches: MetricRow[][] = [];
  for (let start = 0; start < rows; start += batch) {
    const b: MetricRow[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const step = Math.floor(i / names.length);
      b.push({ step, epoch: Math.floor(step / 1000), name: names[i % names.length], value: Math.random() });
    }
    batches.push(b);
  }
  const t0 = performance.now();
  for (const b of batches) store.appendMetrics(id, b);
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  return rows / seconds;
}

function curveRead() {
  const store = openStore(path.join(dir, 'curve.sqlite'));
  const id = store.createRun({ name: 'curve', ...newRun });
  // Two interleaved series, so the read has to pick one out of a larger table.
  for (const name of ['train/loss', 'val/loss']) {
    for (let start = 0; start < curvePoints; start += 10_000) {
      store.appendMetrics(id, Array.from({ length: 10_000 }, (_, i) => ({ step: start + i, epoch: 0, name, value: Math.exp(-(start + i) / 30_000) + 0.05 * Math.random() })));
    }
  }
  const times: number[] = [];
  let points = 0;
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    points = store.getMetricsDownsampled(id, 'train/loss', buckets).points.length;
    times.push(performance.now() - t0);
  }
  const full: number[] = [];
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    store.getMetrics(id, ['train/loss']);
    full.push(performance.now() - t0);
  }
  store.close();
  return { points: curvePoints, buckets, returnedPoints: points, medianMs: round(median(times)), allMs: times.map(round), fullSeriesMedianMs: round(median(full)) };
}

const round = (x: number) => Number(x.toFixed(2));

try {
  const insertRates = Array.from({ length: trials }, (_, t) => insertTrial(t));
  const result = {
    store: {
      node: process.version,
      metricInsert: { rows, batch, trials, medianRowsPerSecond: Math.round(median(insertRates)), allRowsPerSecond: insertRates.map(Math.round) },
      curveRead: curveRead(),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
