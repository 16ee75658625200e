import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store';
import { sampleGraph, tempStoreFile } from '../../unit/store/helpers';
import { spawnWriter, waitForBatches, waitForExit } from '../../unit/store/spawnWriter';

describe('store durability', () => {
  it('survives kill -9 of a writer mid-stream: no corruption, only whole batches', async () => {
    const file = tempStoreFile();
    const setup = openStore(file);
    const id = setup.createRun({ name: 'killed', graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 });
    setup.close();

    const perBatch = 500;
    const child = spawnWriter(file, id, perBatch, 0);
    const committed = await waitForBatches(child, 20);
    child.kill('SIGKILL');
    await waitForExit(child);

    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = openStore(file);
    const points = store.getMetrics(id, ['train/loss'])[0].points;
    // Everything the writer reported as committed is there, and nothing partial.
    expect(points.length).toBeGreaterThanOrEqual(committed * perBatch);
    expect(points.length % perBatch).toBe(0);
    expect(points.every((p, i) => p.step === i)).toBe(true);
    expect(store.getRun(id)!.metrics['train/loss']).toBeCloseTo(1 / points.length, 12);
    store.close();
  });

  it('survives 50 kill -9s at random moments mid-transaction, keeping every committed batch', async () => {
    const file = tempStoreFile();
    const setup = openStore(file);
    const id = setup.createRun({ name: 'killed 50 times', graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 });
    setup.close();

    const perBatch = 200;
    const committed: number[] = [];
    // Two writers at a time (process start-up dominates the run time), so kills also land
    // while the other one holds or waits for the write lock.
    const lane = async (first: number) => {
      for (let k = first; k < 50; k += 2) {
        const child = spawnWriter(file, id, perBatch, 0, `loop/${k}`);
        committed[k] = await waitForBatches(child, 1 + (k % 4));
        // A few ms more, so the kill lands at varying points inside later transactions.
        await new Promise((resolve) => setTimeout(resolve, k % 7));
        child.kill('SIGKILL');
        await waitForExit(child);
      }
    };
    await Promise.all([lane(0), lane(1)]);

    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = openStore(file);
    for (let k = 0; k < 50; k++) {
      const points = store.getMetrics(id, [`loop/${k}`])[0].points;
      expect(points.length).toBeGreaterThanOrEqual(committed[k] * perBatch);
      expect(points.length % perBatch).toBe(0);
      expect(points.every((p, i) => p.step === i)).toBe(true);
    }
    store.close();
  }, 180_000);
});
