import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { irHash, loadMigrations, migrate, openStore } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('migration 002 (checkpoints, artefacts, datasets, projects, tags, notes)', () => {
  it('upgrades a version-1 store to version 2 keeping its runs and metrics', () => {
    const file = tempStoreFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    expect(migrate(v1, file, loadMigrations().slice(0, 1))).toBe(1);
    const graph = sampleGraph();
    v1.prepare(
      `INSERT INTO runs (id, name, status, graph_json, ir_hash, hyper_params_json, backend, seed, pid, host, created_at, finished_at, epochs)
       VALUES ('20261125-143501-abcd', 'old run', 'finished', ?, ?, '{"lr":0.1}', 'wasm', 3, 123, 'elsewhere', '2026-11-25T14:35:01.000Z', '2026-11-25T14:40:00.000Z', 2)`,
    ).run(JSON.stringify(graph), irHash(graph));
    const insert = v1.prepare("INSERT INTO metrics (run_id, name, step, epoch, value) VALUES ('20261125-143501-abcd', 'train/loss', ?, ?, ?)");
    for (let s = 0; s < 10; s++) insert.run(s, s >> 2, 1 / (s + 1));
    v1.prepare("INSERT INTO metric_latest VALUES ('20261125-143501-abcd', 'train/loss', 9, 2, 0.1)").run();
    v1.close();

    const store = openStore(file);
    expect(store.schemaVersion).toBe(loadMigrations().length);
    expect(loadMigrations().map((m) => m.name).slice(0, 2)).toEqual(['001-initial.sql', '002-artefacts.sql']);
    const run = store.getRun('20261125-143501-abcd')!;
    expect(run).toMatchObject({ name: 'old run', status: 'finished', graph, hyperParams: { lr: 0.1 }, epochs: 2, notes: null, tags: [] });
    expect(run.metrics['train/loss']).toBe(0.1);
    const points = store.getMetrics(run.id, ['train/loss'])[0].points;
    expect(points).toHaveLength(10);
    expect(points[3]).toEqual({ step: 3, epoch: 0, value: 0.25 });
    for (const t of ['checkpoints', 'artefacts', 'datasets', 'projects', 'run_tags']) {
      expect(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(t)).toBe(1);
    }
    expect(columns(store.db, 'runs')).toEqual(expect.arrayContaining(['notes', 'project_id', 'dataset_id']));
    expect(columns(store.db, 'checkpoints')).toEqual(
      expect.arrayContaining(['run_id', 'epoch', 'step', 'path', 'sha256', 'metric_name', 'metric_value', 'is_best', 'created_at']),
    );
    expect(columns(store.db, 'artefacts')).toEqual(expect.arrayContaining(['run_id', 'kind', 'name', 'path', 'blob', 'sha256', 'meta_json', 'created_at']));
    expect(columns(store.db, 'datasets')).toEqual(expect.arrayContaining(['source_folder', 'format', 'counts_json', 'content_hash', 'created_at']));
    expect(columns(store.db, 'projects')).toEqual(expect.arrayContaining(['name', 'path', 'created_at']));
    expect(store.db.pragma('foreign_key_check')).toEqual([]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('an artefact row holds exactly one of path and blob', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'r', graph: sampleGraph(), hyperParams: {}, backend: null, seed: 1 });
    const insert = store.db.prepare("INSERT INTO artefacts (run_id, kind, name, path, blob, sha256, created_at) VALUES (?, 'image', 'x', ?, ?, 'h', 't')");
    expect(() => insert.run(id, null, null)).toThrow(/CHECK/);
    expect(() => insert.run(id, 'a.png', Buffer.from([1]))).toThrow(/CHECK/);
    store.close();
  });
});
