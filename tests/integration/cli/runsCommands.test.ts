import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/openStore';
import { loadTemplate } from '../../../main/templates/templateLibrary';

const BIN = path.resolve('bin/visionbench.mjs');
let dir: string;
let storeFile: string;
let first: string;
let second: string;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--store', storeFile], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-runs-'));
  storeFile = path.join(dir, 'store.sqlite');
  const store = openStore(storeFile);
  const graph = loadTemplate('tiny_resnet');
  const wider = { ...graph, nodes: graph.nodes.map((n) => (n.id === 'head' ? { ...n, params: { ...n.params, labelSmoothing: 0.1 } } : n)) };
  first = store.createRun({ name: 'tiny_resnet', graph, hyperParams: { epochs: 2, learningRate: 0.003 }, backend: 'wasm', seed: 1 });
  store.appendMetrics(first, [
    { step: 0, epoch: 0, name: 'train/loss', value: 2.5 },
    { step: 1, epoch: 0, name: 'train/loss', value: 2.0 },
    { step: 2, epoch: 1, name: 'train/loss', value: 2.2 },
    { step: 2, epoch: 1, name: 'val/top1', value: 0.4 },
  ]);
  store.finishRun(first, { status: 'finished', epochs: 2, imagesPerSecond: 20 });
  second = store.createRun({ name: 'tiny_resnet', graph: wider, hyperParams: { epochs: 2, learningRate: 0.001 }, backend: 'wasm', seed: 1 });
  store.appendMetrics(second, [
    { step: 0, epoch: 0, name: 'train/loss', value: 2.4 },
    { step: 1, epoch: 1, name: 'val/top1', value: 0.55 },
  ]);
  store.finishRun(second, { status: 'finished', epochs: 2, imagesPerSecond: 21 });
  store.close();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runs show, compare and export', () => {
  it('show --json gives last and best of every metric (best = lowest loss, highest accuracy)', () => {
    const { code, stdout } = cli('runs', 'show', first, '--json');
    expect(code).toBe(0);
    const run = JSON.parse(stdout);
    expect(run).toMatchObject({ id: first, status: 'finished', backend: 'wasm', params: 726_570, irHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(run.metrics).toEqual([
      { name: 'train/loss', last: 2.2, best: 2.0, bestStep: 1 },
      { name: 'val/top1', last: 0.4, best: 0.4, bestStep: 2 },
    ]);
  });

  it('show of an unknown run exits 1', () => {
    const { code, stderr } = cli('runs', 'show', 'nope');
    expect(code).toBe(1);
    expect(stderr).toMatch(/No run "nope"/);
  });

  it('compare --json names the hyper-parameter, the changed node param and the metric deltas', () => {
    const { code, stdout } = cli('runs', 'compare', first, second, '--json');
    expect(code).toBe(0);
    const [c] = JSON.parse(stdout).comparisons;
    expect(c.sameArchitecture).toBe(false);
    expect(c.hyperParams).toEqual([{ key: 'learningRate', from: 0.003, to: 0.001 }]);
    expect(c.graph.changed).toEqual([{ id: 'head', type: 'ClassificationHead', params: [{ key: 'labelSmoothing', from: undefined, to: 0.1 }] }]);
    const top1 = c.metrics.find((m: { name: string }) => m.name === 'val/top1');
    expect(top1.delta).toBeCloseTo(0.15, 10);
  });

  it('compare prints the differences for people', () => {
    const { stdout } = cli('runs', 'compare', first, second);
    expect(stdout).toMatch(/architecture differs/);
    expect(stdout).toMatch(/~ node head: labelSmoothing - → 0\.1/);
    expect(stdout).toMatch(/val\/top1\s+0\.4000\s+0\.5500\s+\+0\.1500/);
  });

  it('export --csv writes every point as step,epoch,name,value', () => {
    const { code, stdout } = cli('runs', 'export', first, '--csv');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['step,epoch,name,value', '0,0,train/loss,2.5', '1,0,train/loss,2', '2,1,train/loss,2.2', '2,1,val/top1,0.4']);
  });

  it('store backup copies the store into a file that opens with the same runs', () => {
    const target = path.join(dir, 'backup', 'copy.sqlite');
    const { code, stdout } = cli('store', 'backup', target, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ backup: target, bytes: expect.any(Number) });
    const copy = openStore(target);
    expect(copy.listRuns().map((r) => r.id).sort()).toEqual([first, second].sort());
    expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    expect(cli('store', 'backup', target).code).toBe(1);
  });

  it('runs delete removes the run and its metrics; a second delete exits 1', () => {
    expect(cli('runs', 'delete', second).code).toBe(0);
    const runs = JSON.parse(cli('runs', 'list', '--json').stdout);
    expect(runs.map((r: { id: string }) => r.id)).toEqual([first]);
    expect(cli('runs', 'delete', second).code).toBe(1);
  });
});
