import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphIR } from '../../../main/core';
import { openStore, type ExperimentStore } from '../../../main/store/openStore';
import type { FromTrainer } from '../../../main/train/protocol';
import { startTraining } from '../../../main/train/runTraining';
import { graph, input } from '../../unit/core/graphFixtures';

/** A conv net small enough to train an epoch in seconds on 32×32 synthetic shapes. */
const smallNet: GraphIR = graph(
  [
    input(3, 32, 32),
    { id: 'conv1', type: 'Conv2d', params: { outChannels: 8, kernel: 3, stride: 2, padding: 1, bias: false } },
    { id: 'bn1', type: 'BatchNorm', params: {} },
    { id: 'relu1', type: 'ReLU', params: {} },
    { id: 'conv2', type: 'Conv2d', params: { outChannels: 8, kernel: 3, padding: 1, bias: false } },
    { id: 'bn2', type: 'BatchNorm', params: {} },
    { id: 'add', type: 'Add', params: {} },
    { id: 'relu2', type: 'ReLU', params: {} },
    { id: 'gap', type: 'GlobalAvgPool', params: {} },
    { id: 'head', type: 'ClassificationHead', params: { classes: 10 } },
  ],
  ['in -> conv1', 'conv1 -> bn1', 'bn1 -> relu1', 'relu1 -> conv2', 'conv2 -> bn2', 'bn2 -> add', 'relu1 -> add', 'add -> relu2', 'relu2 -> gap', 'gap -> head'],
);

const hyperParams = { epochs: 2, batchSize: 16, optimizer: 'adam' as const, learningRate: 0.01, schedule: 'constant' as const, seed: 3, weightDecay: 0 };

let dir: string;
let storeFile: string;
let store: ExperimentStore;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-trainer-'));
  storeFile = path.join(dir, 'store.sqlite');
  store = openStore(storeFile);
});

afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the trainer process', () => {
  it('trains two epochs on the wasm backend and leaves the run and every metric in the store', async () => {
    const messages: FromTrainer[] = [];
    const started = startTraining({
      store,
      storeFile,
      graph: smallNet,
      hyperParams,
      data: { kind: 'synthetic', trainCount: 64, valCount: 32, seed: 3 },
      backend: 'wasm',
      threads: 1,
      onMessage: (m) => messages.push(m),
    });
    const outcome = await started.outcome;
    expect(outcome.status, JSON.stringify(outcome)).toBe('finished');

    const types = messages.map((m) => m.type);
    expect(types[0]).toBe('ready');
    expect(types.filter((t) => t === 'progress')).toHaveLength(2 * 4);
    expect(types.filter((t) => t === 'epoch')).toHaveLength(2);
    expect(types.at(-1)).toBe('finished');
    // A checkpoint after each epoch; the first is also the best so far.
    const checkpoints = messages.flatMap((m) => (m.type === 'checkpoint' ? [[m.kind, m.step]] : []));
    expect(checkpoints.filter(([kind]) => kind === 'last')).toEqual([['last', 4], ['last', 8]]);
    expect(checkpoints[1]).toEqual(['best', 4]);

    const run = store.getRun(started.runId)!;
    expect(run.status).toBe('finished');
    expect(run.backend).toMatch(/^wasm/);
    expect(run.threads).toBe(1);
    expect(run.graph).toEqual(smallNet);
    expect(run.epochs).toBe(2);
    expect(run.imagesPerSecond).toBeGreaterThan(0);
    const [loss] = store.getMetrics(started.runId, ['train/loss']);
    expect(loss.points.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(loss.points.every((p) => Number.isFinite(p.value) && p.value > 0)).toBe(true);
    const val = store.getMetrics(started.runId, ['val/top1', 'val/loss']);
    expect(val.map((s) => s.points.length)).toEqual([2, 2]);
    for (const s of val) for (const p of s.points) expect(p.value).toBeGreaterThanOrEqual(0);
  });

  it('survives the trainer being killed: the run is failed, its metrics kept', async () => {
    let killed = false;
    const started = startTraining({
      store,
      storeFile,
      graph: smallNet,
      hyperParams: { ...hyperParams, epochs: 50 },
      data: { kind: 'synthetic', trainCount: 64, valCount: 16, seed: 3 },
      backend: 'wasm',
      threads: 1,
      onMessage: (m) => {
        if (m.type === 'progress' && m.progress.step >= 3 && !killed) {
          killed = true;
          process.kill(started.trainer.pid, 'SIGKILL');
        }
      },
    });
    const outcome = await started.outcome;
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toMatch(/SIGKILL/);
    const run = store.getRun(started.runId)!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/SIGKILL/);
    const [loss] = store.getMetrics(started.runId, ['train/loss']);
    expect(loss.points.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a graph the trainer cannot train as a failed run with the reason', async () => {
    const noHead = graph([input(3, 32, 32), { id: 'gap', type: 'GlobalAvgPool', params: {} }], ['in -> gap']);
    const started = startTraining({ store, storeFile, graph: noHead, hyperParams, data: { kind: 'synthetic', trainCount: 8, valCount: 8, seed: 1 }, backend: 'cpu' });
    const outcome = await started.outcome;
    expect(outcome.status).toBe('failed');
    expect(store.getRun(started.runId)!.error).toMatch(/ClassificationHead/);
  });
});
