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
});
