import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openStore, StoreVersionError } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

describe('store migrations', () => {
  it('migrates a fresh file to the latest version with WAL and foreign keys on', () => {
    const file = tempStoreFile();
    const store = openStore(file);
    const latest = loadMigrations().length;
    expect(latest).toBeGreaterThanOrEqual(1);
    expect(store.schemaVersion).toBe(latest);
    expect(store.db.pragma('user_version', { simple: true })).toBe(latest);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(tables(store.db)).toEqual(expect.arrayContaining(['runs', 'metrics', 'metric_latest']));
    expect(store.dataDir).toBe(`${path.resolve(file)}-data`);
    expect(fs.existsSync(store.dataDir)).toBe(false);
    expect(fs.existsSync(store.ensureDataDir())).toBe(true);
    store.close();
  });

  it('reopening is idempotent and keeps the data', () => {
    const file = tempStoreFile();
    const first = openStore(file);
    const id = first.createRun({ name: 'kept', graph: sampleGraph(), hyperParams: { lr: 0.1 }, backend: 'wasm', seed: 7 });
    const before = tables(first.db);
    first.close();
    const second = openStore(file);
    expect(second.schemaVersion).toBe(loadMigrations().length);
    expect(tables(second.db)).toEqual(before);
    expect(second.getRun(id)?.name).toBe('kept');
    second.close();
  });

  it('refuses a store written by a newer build, naming both versions', () => {
    const file = tempStoreFile();
    openStore(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    let err: unknown;
    try {
      openStore(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreVersionError);
    expect((err as StoreVersionError).found).toBe(99);
    expect((err as Error).message).toContain(`schema version 99, but this build of VisionBench knows versions up to ${loadMigrations().length}`);
    // The refused file is untouched.
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    check.close();
  });

  it('rolls back every pending migration when one fails', () => {
    const db = new Database(':memory:');
    const migrations = [
      { version: 1, name: '001-a.sql', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: '002-b.sql', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, ':memory:', migrations)).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('rejects gaps in migration numbering', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-mig-'));
    fs.writeFileSync(path.join(dir, '001-a.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '003-c.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    expect(() => loadMigrations(dir)).toThrow(/without gaps.*003-c\.sql/);
  });

  it('sorts migration files numerically, not as text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-mig-'));
    for (let i = 1; i <= 10; i++) fs.writeFileSync(path.join(dir, `${i}-m.sql`), `CREATE TABLE t${i} (x);`);
    expect(loadMigrations(dir).map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
