import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadMigrations, migrate, openStore, writeFileAtomic } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';

const newRun = { name: 'r', graph: sampleGraph(), hyperParams: { epochs: 2 }, backend: 'cpu', seed: 1 };
const bytesOf = (text: string) => new TextEncoder().encode(text);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

afterEach(() => vi.restoreAllMocks());

describe('checkpoint files', () => {
  it('writes a file under the run folder and records it by relative path and sha256', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    const { checkpoint, file } = store.saveCheckpoint({ runId: id, epoch: 0, step: 3, bytes: bytesOf('weights'), metric: { name: 'val/top1', value: 0.5 }, isBest: true });
    expect(file.path).toBe(`runs/${id}/checkpoints/step-00000003.ckpt`);
    expect(file.absolutePath).toBe(path.join(store.dataDir, 'runs', id, 'checkpoints', 'step-00000003.ckpt'));
    expect(fs.readFileSync(file.absolutePath, 'utf8')).toBe('weights');
    expect(checkpoint).toMatchObject({ runId: id, epoch: 0, step: 3, path: file.path, sha256: sha('weights'), isBest: true, metric: { name: 'val/top1', value: 0.5 } });
    expect(store.dataPath(checkpoint.path)).toBe(file.absolutePath);
    expect(Buffer.from(store.readCheckpoint(checkpoint)).toString()).toBe('weights');
    store.close();
  });

  it('keeps the best checkpoint and the latest, deleting the others with their files', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    const save = (step: number, isBest: boolean) => store.saveCheckpoint({ runId: id, epoch: step - 1, step, bytes: bytesOf(`s${step}`), isBest }).file;
    const first = save(1, true);
    const second = save(2, false);
    // The best (step 1) stays; step 2 was the latest until step 3 came.
    const third = save(3, false);
    expect(store.listCheckpoints(id).map((c) => [c.step, c.isBest])).toEqual([
      [1, true],
      [3, false],
    ]);
    expect([first, second, third].map((f) => fs.existsSync(f.absolutePath))).toEqual([true, false, true]);
    // A new best takes over: the old best is then just an old checkpoint.
    const fourth = save(4, true);
    expect(store.listCheckpoints(id).map((c) => [c.step, c.isBest])).toEqual([[4, true]]);
    expect([first, third, fourth].map((f) => fs.existsSync(f.absolutePath))).toEqual([false, false, true]);
    store.close();
  });

  it('never overwrites a recorded file: a second checkpoint at the same step gets its own name', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    const a = store.saveCheckpoint({ runId: id, epoch: 0, step: 5, bytes: bytesOf('a'), isBest: true });
    const b = store.saveCheckpoint({ runId: id, epoch: 0, step: 5, bytes: bytesOf('b') });
    expect(b.file.path).toBe(`runs/${id}/checkpoints/step-00000005-2.ckpt`);
    expect(Buffer.from(store.readCheckpoint(a.checkpoint)).toString()).toBe('a');
    expect(Buffer.from(store.readCheckpoint(b.checkpoint)).toString()).toBe('b');
    store.close();
  });

  it('refuses a file that no longer matches its recorded sha256', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    const { checkpoint, file } = store.saveCheckpoint({ runId: id, epoch: 0, step: 1, bytes: bytesOf('good') });
    fs.writeFileSync(file.absolutePath, 'evil');
    expect(() => store.readCheckpoint(checkpoint)).toThrow(/does not match its record .*damaged or replaced/);
    store.close();
  });

  it('removes temporaries a killed writer left behind, and nothing else', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    const { file } = store.saveCheckpoint({ runId: id, epoch: 0, step: 1, bytes: bytesOf('one') });
    const leftover = `${file.absolutePath.replace('00000001', '00000002')}.99999999.tmp`;
    fs.writeFileSync(leftover, 'half a checkpo');
    store.saveCheckpoint({ runId: id, epoch: 0, step: 2, bytes: bytesOf('two') });
    expect(fs.existsSync(leftover)).toBe(false);
    expect(fs.readdirSync(path.dirname(file.absolutePath)).sort()).toEqual(['step-00000002.ckpt']);
    store.close();
  });

  it('refuses paths that leave the data folder', () => {
    const store = openStore(tempStoreFile());
    for (const bad of ['../outside', '/etc/passwd', 'runs/../../x', '']) expect(() => store.dataPath(bad)).toThrow(/not a path inside the store's data folder/);
    expect(() => store.saveCheckpoint({ runId: '../x', epoch: 0, step: 0, bytes: bytesOf('x') })).toThrow(/Not a run id/);
    store.close();
  });
});

describe('writeFileAtomic', () => {
  it('leaves the previous file whole when the writer dies before the rename', () => {
    const file = path.join(path.dirname(tempStoreFile()), 'target.bin');
    writeFileAtomic(file, bytesOf('previous'));
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw new Error('killed here');
    });
    expect(() => writeFileAtomic(file, bytesOf('next, but never renamed'))).toThrow('killed here');
    expect(fs.readFileSync(file, 'utf8')).toBe('previous');
    vi.restoreAllMocks();
    writeFileAtomic(file, bytesOf('next'));
    expect(fs.readFileSync(file, 'utf8')).toBe('next');
  });
});

describe('resuming runs in the store', () => {
  it('reopens a final run as queued: same id, metrics and checkpoints kept, error cleared, settings replaced', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    store.markRunning(id, { pid: 1234, backend: 'wasm ×2 threads', threads: 2 });
    store.appendMetrics(id, [{ step: 0, epoch: 0, name: 'train/loss', value: 2 }]);
    store.saveCheckpoint({ runId: id, epoch: 0, step: 1, bytes: bytesOf('x') });
    store.finishRun(id, { status: 'failed', error: 'killed' });
    expect(store.getRun(id)).toMatchObject({ status: 'failed', error: 'killed', threads: 2, backend: 'wasm ×2 threads', pid: 1234 });

    store.reopenRun(id, { epochs: 5 });
    expect(store.getRun(id)).toMatchObject({ status: 'queued', error: null, finishedAt: null, pid: null, hyperParams: { epochs: 5 } });
    expect(store.getMetrics(id, ['train/loss'])[0].points).toHaveLength(1);
    expect(store.listCheckpoints(id)).toHaveLength(1);
    // Stale-run recovery leaves it alone: it has no trainer pid until one picks it up.
    expect(store.recoverStaleRuns()).toEqual([]);
    store.markRunning(id, { pid: process.pid, backend: 'cpu (plain JS, slow)', threads: 1 });
    expect(store.getRun(id)).toMatchObject({ status: 'running', threads: 1 });
    expect(() => store.reopenRun(id, {})).toThrow(/is running; it cannot become queued again/);
    store.close();
  });

  it('refuses an unknown run and a thread count that is not a positive integer', () => {
    const store = openStore(tempStoreFile());
    expect(() => store.reopenRun('20260101-000000-abcd', {})).toThrow('No run with id "20260101-000000-abcd"');
    const id = store.createRun(newRun);
    expect(() => store.markRunning(id, { pid: 1, backend: 'wasm', threads: 0 })).toThrow(/threads must be a positive integer/);
    store.close();
  });

  it('migration 003 adds runs.threads; older runs read it as null', () => {
    const file = tempStoreFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const v2 = new Database(file);
    migrate(v2, file, loadMigrations().slice(0, 2));
    v2.prepare(
      `INSERT INTO runs (id, name, status, graph_json, ir_hash, hyper_params_json, backend, seed, created_at)
       VALUES ('20261125-143501-abcd', 'old', 'finished', ?, 'h', '{}', 'wasm ×2 threads', 1, '2026-11-25T14:35:01.000Z')`,
    ).run(JSON.stringify(sampleGraph()));
    v2.close();
    const upgraded = openStore(file);
    expect(upgraded.schemaVersion).toBe(loadMigrations().length);
    expect(upgraded.getRun('20261125-143501-abcd')).toMatchObject({ name: 'old', backend: 'wasm ×2 threads', threads: null });
    upgraded.close();
  });
});
