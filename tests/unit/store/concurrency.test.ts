import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';
import { spawnWriter, waitForBatches, waitForExit } from './spawnWriter';

describe('store concurrency (WAL)', () => {
  it('a second connection reads committed data while the first holds a write transaction', () => {
    const file = tempStoreFile();
    const writer = openStore(file);
    const reader = openStore(file);
    const id = writer.createRun({ name: 'c', graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 });
    writer.appendMetrics(id, [{ step: 1, epoch: 0, name: 'train/loss', value: 1 }]);

    writer.db.exec('BEGIN IMMEDIATE');
    writer.db.prepare("INSERT INTO metrics (run_id, name, step, epoch, value) VALUES (?, 'train/loss', 2, 0, 0.5)").run(id);
    // Under a rollback journal this read would block on the writer's lock; under WAL it
    // sees the last committed snapshot at once.
    const t0 = performance.now();
    expect(reader.getMetrics(id, ['train/loss'])[0].points.map((p) => p.step)).toEqual([1]);
    expect(reader.listRuns().map((r) => r.id)).toEqual([id]);
    expect(performance.now() - t0).toBeLessThan(1000);
    writer.db.exec('COMMIT');
    expect(reader.getMetrics(id, ['train/loss'])[0].points.map((p) => p.step)).toEqual([1, 2]);
    writer.close();
    reader.close();
  });

  it('reads stay consistent while another process appends', async () => {
    const file = tempStoreFile();
    const store = openStore(file);
    const id = store.createRun({ name: 'live', graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 });
    const perBatch = 50;
    const batches = 300;
    const child = spawnWriter(file, id, perBatch, batches);
    await waitForBatches(child, 1);
    const counts: number[] = [];
    while (child.exitCode === null) {
      const points = store.getMetrics(id, ['train/loss'])[0].points;
      // Every snapshot holds whole batches only, steps 0..n-1 in order.
      expect(points.length % perBatch).toBe(0);
      expect(points.every((p, i) => p.step === i)).toBe(true);
      counts.push(points.length);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await waitForExit(child)).toBe(0);
    expect(counts.some((c) => c > 0 && c < perBatch * batches)).toBe(true);
    expect(store.getMetrics(id, ['train/loss'])[0].points).toHaveLength(perBatch * batches);
    expect(store.getRun(id)!.metrics['train/loss']).toBeCloseTo(1 / (perBatch * batches), 12);
    store.close();
  });
});
