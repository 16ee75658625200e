import { describe, expect, it } from 'vitest';
import { MetricSeriesSchema } from '../../../main/core';
import { openStore, type MetricRow } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';

function newStoreWithRun() {
  const store = openStore(tempStoreFile());
  const id = store.createRun({ name: 'm', graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 });
  return { store, id };
}

describe('metrics repository', () => {
  it('summaries carry the last value per metric by step, not by insertion order', () => {
    const { store, id } = newStoreWithRun();
    store.appendMetrics(id, [
      { step: 10, epoch: 1, name: 'train/loss', value: 0.9 },
      { step: 20, epoch: 1, name: 'train/loss', value: 0.7 },
      { step: 20, epoch: 1, name: 'val/top1', value: 0.41 },
    ]);
    // A later call with an earlier step (late-arriving log line) must not become "last".
    store.appendMetrics(id, [{ step: 15, epoch: 1, name: 'train/loss', value: 5 }]);
    // Within one batch, the highest step wins regardless of row order.
    store.appendMetrics(id, [
      { step: 40, epoch: 2, name: 'val/top1', value: 0.63 },
      { step: 30, epoch: 2, name: 'val/top1', value: 0.55 },
    ]);
    expect(store.listRuns()[0].metrics).toEqual({ 'train/loss': 0.7, 'val/top1': 0.63 });
    expect(store.getRun(id)!.metrics).toEqual({ 'train/loss': 0.7, 'val/top1': 0.63 });
    store.close();
  });

  it('returns series ordered by step, every series or the ones asked for', () => {
    const { store, id } = newStoreWithRun();
    store.appendMetrics(id, [
      { step: 3, epoch: 0, name: 'train/loss', value: 0.3 },
      { step: 1, epoch: 0, name: 'train/loss', value: 0.1 },
      { step: 2, epoch: 0, name: 'val/loss', value: 0.25 },
      { step: 2, epoch: 0, name: 'train/loss', value: 0.2 },
    ]);
    const all = store.getMetrics(id);
    expect(all).toEqual([
      { name: 'train/loss', points: [{ step: 1, epoch: 0, value: 0.1 }, { step: 2, epoch: 0, value: 0.2 }, { step: 3, epoch: 0, value: 0.3 }] },
      { name: 'val/loss', points: [{ step: 2, epoch: 0, value: 0.25 }] },
    ]);
    for (const s of all) MetricSeriesSchema.parse(s);
    expect(store.getMetrics(id, ['val/loss', 'val/top1'])).toEqual([
      { name: 'val/loss', points: [{ step: 2, epoch: 0, value: 0.25 }] },
      { name: 'val/top1', points: [] },
    ]);
    expect(store.getMetrics('unknown-run')).toEqual([]);
    store.close();
  });

  it('re-logging a step replaces it (resumed runs), and the summary follows', () => {
    const { store, id } = newStoreWithRun();
    store.appendMetrics(id, [{ step: 5, epoch: 0, name: 'train/loss', value: 1 }]);
    store.appendMetrics(id, [{ step: 5, epoch: 0, name: 'train/loss', value: 0.5 }]);
    expect(store.getMetrics(id, ['train/loss'])[0].points).toEqual([{ step: 5, epoch: 0, value: 0.5 }]);
    expect(store.getRun(id)!.metrics['train/loss']).toBe(0.5);
    store.close();
  });

  it('refuses bad rows atomically: nothing of a rejected batch is written', () => {
    const { store, id } = newStoreWithRun();
    const good: MetricRow = { step: 1, epoch: 0, name: 'train/loss', value: 1 };
    expect(() => store.appendMetrics(id, [good, { ...good, step: 2, value: NaN }])).toThrow(/train\/loss at step 2 is NaN/);
    expect(() => store.appendMetrics(id, [{ ...good, step: 1.5 }])).toThrow(/must be integers/);
    expect(() => store.appendMetrics(id, [{ ...good, name: '' }])).toThrow(/non-empty string/);
    expect(() => store.appendMetrics('missing', [good])).toThrow('No run with id "missing"');
    expect(store.getMetrics(id)).toEqual([]);
    store.close();
  });

  it('deleting a run deletes its metrics (ON DELETE CASCADE is enforced)', () => {
    const { store, id } = newStoreWithRun();
    store.appendMetrics(id, [{ step: 1, epoch: 0, name: 'train/loss', value: 1 }]);
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    expect(store.db.prepare('SELECT COUNT(*) FROM metrics').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM metric_latest').pluck().get()).toBe(0);
    store.close();
  });

  it('sustains at least 50,000 rows/s in batched appends', () => {
    const { store, id } = newStoreWithRun();
    const names = ['train/loss', 'train/lr', 'train/loss/cls', 'train/loss/box'];
    const batch = 1000;
    const total = 200_000;
    const batches: MetricRow[][] = [];
    for (let start = 0; start < total; start += batch) {
      const rows: MetricRow[] = [];
      for (let i = start; i < start + batch; i++) rows.push({ step: Math.floor(i / names.length), epoch: 0, name: names[i % names.length], value: Math.sin(i) });
      batches.push(rows);
    }
    const t0 = performance.now();
    for (const rows of batches) store.appendMetrics(id, rows);
    const seconds = (performance.now() - t0) / 1000;
    const rate = total / seconds;
    console.log(`appendMetrics: ${Math.round(rate).toLocaleString('en')} rows/s (${total} rows in batches of ${batch})`);
    expect(store.db.prepare('SELECT COUNT(*) FROM metrics').pluck().get()).toBe(total);
    expect(store.getRun(id)!.metrics['train/loss/box']).toBeCloseTo(Math.sin(total - 1), 12);
    expect(rate).toBeGreaterThan(50_000);
    store.close();
  });
});
