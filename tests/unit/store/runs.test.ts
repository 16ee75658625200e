import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { RunDetailSchema, RunSummarySchema } from '../../../main/core';
import { canonicalJson, irHash, openStore, RUN_ID_PATTERN } from '../../../main/store';
import { sampleGraph, steppingClock, tempStoreFile } from './helpers';

const base = { hyperParams: { lr: 0.01, batchSize: 32, augment: ['flip'] }, backend: 'wasm', seed: 42 };

describe('runs repository', () => {
  it('round-trips the exact IR and hyper-parameters', () => {
    const store = openStore(tempStoreFile());
    const template = JSON.parse(fs.readFileSync(new URL('../../../templates/tiny_resnet.json', import.meta.url), 'utf8'));
    for (const graph of [sampleGraph(), template]) {
      const id = store.createRun({ name: 'r', graph, ...base });
      const run = store.getRun(id)!;
      expect(run.graph).toEqual(graph);
      // Byte-exact, key order included: the stored IR is what was trained, not a re-serialisation.
      const stored = store.db.prepare('SELECT graph_json FROM runs WHERE id = ?').pluck().get(id);
      expect(stored).toBe(JSON.stringify(graph));
      expect(run.hyperParams).toEqual(base.hyperParams);
      expect(run.irHash).toBe(irHash(graph));
      expect(run.irHash).toMatch(/^[0-9a-f]{64}$/);
      expect(RunDetailSchema.parse(run)).toMatchObject({ id, status: 'queued', graph });
    }
    store.close();
  });

  it('hashes IR canonically: key order does not matter, content does', () => {
    const g = sampleGraph();
    const reordered = { meta: g.meta, edges: g.edges, nodes: g.nodes, name: g.name, version: g.version };
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(g));
    expect(irHash(reordered)).toBe(irHash(g));
    expect(irHash({ ...g, name: 'other' })).not.toBe(irHash(g));
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it('gives readable, time-ordered ids and records who created the run', () => {
    const store = openStore(tempStoreFile(), { now: steppingClock(Date.UTC(2026, 10, 25, 14, 35, 1)) });
    const a = store.createRun({ name: 'a', graph: sampleGraph(), ...base, pid: 1234 });
    const b = store.createRun({ name: 'b', graph: sampleGraph(), ...base });
    expect(a).toMatch(RUN_ID_PATTERN);
    expect(a.startsWith('20261125-143501-')).toBe(true);
    expect(b.startsWith('20261125-143502-')).toBe(true);
    expect(a < b).toBe(true);
    const run = store.getRun(a)!;
    expect(run).toMatchObject({ createdAt: '2026-11-25T14:35:01.000Z', seed: 42, pid: 1234, host: os.hostname(), backend: 'wasm' });
    store.close();
  });

  it('moves through queued → running → finished and records the outcome', () => {
    const store = openStore(tempStoreFile(), { now: steppingClock() });
    const id = store.createRun({ name: 'life', graph: sampleGraph(), ...base, backend: null });
    expect(store.getRun(id)).toMatchObject({ status: 'queued', backend: null, startedAt: null, finishedAt: null, epochs: 0 });
    store.markRunning(id, { pid: 999, backend: 'tensorflow' });
    expect(store.getRun(id)).toMatchObject({ status: 'running', pid: 999, backend: 'tensorflow', startedAt: '2026-11-25T14:35:02.000Z' });
    store.finishRun(id, { status: 'finished', epochs: 12, imagesPerSecond: 20.5 });
    expect(store.getRun(id)).toMatchObject({ status: 'finished', epochs: 12, imagesPerSecond: 20.5, error: null, finishedAt: '2026-11-25T14:35:03.000Z' });
    store.close();
  });

  it('refuses impossible transitions and unknown ids with clear messages', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'x', graph: sampleGraph(), ...base });
    store.finishRun(id, { status: 'cancelled' });
    expect(() => store.finishRun(id, { status: 'failed', error: 'late crash' })).toThrow(`Run ${id} is cancelled; it cannot become failed`);
    expect(store.getRun(id)).toMatchObject({ status: 'cancelled', error: null });
    expect(() => store.markRunning(id, { pid: 1, backend: 'cpu' })).toThrow(/is cancelled; it cannot become running/);
    expect(() => store.markRunning('nope', { pid: 1, backend: 'cpu' })).toThrow('No run with id "nope"');
    expect(() => store.finishRun(id, { status: 'running' as never })).toThrow(/needs a final status/);
    expect(store.getRun('nope')).toBeUndefined();
    store.close();
  });

  it('records a failure with its error text', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'boom', graph: sampleGraph(), ...base });
    store.markRunning(id, { pid: 5, backend: 'wasm' });
    store.finishRun(id, { status: 'failed', error: 'Out of memory at epoch 3' });
    expect(store.listRuns()[0]).toMatchObject({ id, status: 'failed', error: 'Out of memory at epoch 3' });
    store.close();
  });

  it('refuses an invalid graph instead of storing it', () => {
    const store = openStore(tempStoreFile());
    const bad = { ...sampleGraph(), version: 2 } as never;
    expect(() => store.createRun({ name: 'bad', graph: bad, ...base })).toThrow(/invalid graph: version/);
    expect(() => store.createRun({ name: '  ', graph: sampleGraph(), ...base })).toThrow(/non-empty name/);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('lists runs newest first, in contract shape', () => {
    const store = openStore(tempStoreFile(), { now: steppingClock() });
    const ids = ['first', 'second', 'third'].map((name) => store.createRun({ name, graph: sampleGraph(), ...base }));
    const list = store.listRuns();
    expect(list.map((r) => r.id)).toEqual([...ids].reverse());
    expect(list.map((r) => r.name)).toEqual(['third', 'second', 'first']);
    for (const r of list) expect(RunSummarySchema.parse(r)).toEqual(r);
    store.close();
  });
});
