import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, openStore } from '../../../main/store';
import { sampleGraph, steppingClock, tempStoreFile } from './helpers';

const newRun = { graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('checkpoints, artefacts, notes, tags, delete and backup', () => {
  it('records checkpoints with one best per run', () => {
    const store = openStore(tempStoreFile(), { now: steppingClock() });
    const id = store.createRun({ name: 'r', ...newRun });
    const other = store.createRun({ name: 'other', ...newRun });
    const a = store.addCheckpoint({ runId: id, epoch: 0, step: 100, path: `runs/${id}/e0.bin`, sha256: sha('a'), metric: { name: 'val/top1', value: 0.5 }, isBest: true });
    expect(a).toMatchObject({ runId: id, epoch: 0, step: 100, isBest: true, metric: { name: 'val/top1', value: 0.5 } });
    expect(a.createdAt).toMatch(/^2026-11-25T14:35:0\dZ?/);
    store.addCheckpoint({ runId: other, epoch: 0, step: 1, path: 'o.bin', sha256: sha('o'), isBest: true });
    store.addCheckpoint({ runId: id, epoch: 1, step: 200, path: `runs/${id}/e1.bin`, sha256: sha('b'), metric: { name: 'val/top1', value: 0.7 }, isBest: true });
    store.addCheckpoint({ runId: id, epoch: 2, step: 300, path: `runs/${id}/e2.bin`, sha256: sha('c'), metric: { name: 'val/top1', value: 0.6 } });
    const list = store.listCheckpoints(id);
    expect(list.map((c) => [c.step, c.isBest])).toEqual([
      [100, false],
      [200, true],
      [300, false],
    ]);
    expect(list[2].metric).toEqual({ name: 'val/top1', value: 0.6 });
    expect(store.listCheckpoints(other)[0].isBest).toBe(true);
    expect(() => store.addCheckpoint({ runId: 'nope', epoch: 0, step: 0, path: 'x', sha256: sha('x') })).toThrow('No run with id "nope"');
    expect(() => store.addCheckpoint({ runId: id, epoch: 0, step: 0, path: 'x', sha256: 'ABC' })).toThrow(/sha256 must be 64 lower-case hex/);
    expect(() => store.addCheckpoint({ runId: id, epoch: 0.5, step: 0, path: 'x', sha256: sha('x') })).toThrow(/integers/);
    store.close();
  });

  it('stores artefacts inline or by path and lists them by kind', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'r', ...newRun });
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const cm = store.addArtefact({ runId: id, kind: 'confusion_matrix', name: 'val epoch 3', blob: bytes, meta: { classes: ['cat', 'dog'], epoch: 3 } });
    expect(cm.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(cm.path).toBeNull();
    const emb = store.addArtefact({ runId: id, kind: 'embeddings', name: 'val', path: `runs/${id}/emb.f32`, sha256: sha('e') });
    expect(emb).toMatchObject({ blob: null, path: `runs/${id}/emb.f32`, meta: {} });
    const all = store.listArtefacts(id);
    expect(all.map((a) => a.kind)).toEqual(['confusion_matrix', 'embeddings']);
    expect([...all[0].blob!]).toEqual([1, 2, 3, 250]);
    expect(all[0].meta).toEqual({ classes: ['cat', 'dog'], epoch: 3 });
    expect(store.listArtefacts(id, 'embeddings')).toHaveLength(1);
    expect(store.listArtefacts(id, 'image')).toEqual([]);
    // @ts-expect-error both path and blob
    expect(() => store.addArtefact({ runId: id, kind: 'image', name: 'x', path: 'p', sha256: sha('p'), blob: bytes })).toThrow(/exactly one of path and blob/);
    expect(() => store.addArtefact({ runId: id, kind: 'image', name: 'x', path: 'p', sha256: 'nope' })).toThrow(/sha256/);
    expect(() => store.addArtefact({ runId: id, kind: '', name: 'x', blob: bytes })).toThrow(/kind and a name/);
    store.close();
  });

  it('sets notes and tags', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'r', ...newRun });
    store.setRunNotes(id, 'LR too high after epoch 5');
    expect(store.setRunTags(id, [' baseline ', 'resnet', 'baseline'])).toEqual(['baseline', 'resnet']);
    expect(store.getRun(id)).toMatchObject({ notes: 'LR too high after epoch 5', tags: ['baseline', 'resnet'] });
    store.setRunTags(id, ['final']);
    store.setRunNotes(id, '  ');
    expect(store.getRun(id)).toMatchObject({ notes: null, tags: ['final'] });
    expect(() => store.setRunTags(id, [''])).toThrow(/1–64 characters/);
    expect(() => store.setRunTags('nope', ['x'])).toThrow('No run with id "nope"');
    expect(() => store.setRunNotes('nope', 'x')).toThrow('No run with id "nope"');
    store.close();
  });

  it('deletes a run with everything hanging off it, including its data folder', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'doomed', ...newRun });
    const kept = store.createRun({ name: 'kept', ...newRun });
    for (const r of [id, kept]) {
      store.appendMetrics(r, [{ step: 0, epoch: 0, name: 'train/loss', value: 1 }]);
      store.addCheckpoint({ runId: r, epoch: 0, step: 0, path: 'c.bin', sha256: sha('c'), isBest: true });
      store.addArtefact({ runId: r, kind: 'image', name: 'x', blob: new Uint8Array([1]) });
      store.setRunTags(r, ['t']);
    }
    const folder = store.runDataDir(id);
    expect(folder).toBe(path.join(store.dataDir, 'runs', id));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'c.bin'), 'weights');
    fs.mkdirSync(store.runDataDir(kept), { recursive: true });

    store.markRunning(id, { pid: process.pid, backend: 'cpu' });
    expect(() => store.deleteRun(id)).toThrow(/is running.*cancel it first/);
    expect(store.deleteRun(id, { force: true })).toBe(true);
    expect(store.getRun(id)).toBeUndefined();
    expect(fs.existsSync(folder)).toBe(false);
    expect(fs.existsSync(store.runDataDir(kept))).toBe(true);
    for (const table of ['metrics', 'metric_latest', 'checkpoints', 'artefacts', 'run_tags']) {
      expect(store.db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(id)).toBe(0);
      expect(store.db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(kept)).toBe(1);
    }
    expect(store.deleteRun(id)).toBe(false);
    expect(store.deleteRun('../../etc')).toBe(false);
    expect(() => store.runDataDir('../x')).toThrow(/Not a run id/);
    store.close();
  });

  it('backs up a consistent copy with the online backup API', async () => {
    const file = tempStoreFile();
    const store = openStore(file);
    const id = store.createRun({ name: 'backed up', ...newRun });
    store.appendMetrics(id, Array.from({ length: 5000 }, (_, step) => ({ step, epoch: 0, name: 'train/loss', value: step })));
    const dest = path.join(path.dirname(file), 'backups', 'copy.sqlite');
    await store.backup(dest);
    await expect(store.backup(file)).rejects.toThrow(/onto itself/);
    store.close();

    const raw = new Database(dest, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const copy = openStore(dest);
    expect(copy.schemaVersion).toBe(loadMigrations().length);
    expect(copy.getRun(id)!.name).toBe('backed up');
    expect(copy.getMetrics(id, ['train/loss'])[0].points).toHaveLength(5000);
    copy.close();
  });
});
