import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphIR } from '../../../main/core';

/** A fresh folder per test; the store file goes one level deeper to exercise parent creation. */
export function tempStoreFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-store-'));
  return path.join(dir, 'nested', 'store.sqlite');
}

/** A small IR with deliberately unsorted keys and nested params, to catch lossy round trips. */
export function sampleGraph(name = 'tiny'): GraphIR {
  return {
    version: 1,
    name,
    nodes: [
      { id: 'input', type: 'Input', params: { width: 32, height: 32, channels: 3 }, position: { x: 0, y: 0 } },
      { id: 'conv', type: 'Conv2d', params: { outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: false }, frozen: true },
      { id: 'head', type: 'ClassifierHead', params: { classes: 10, loss: 'cross_entropy', weight: 0.5 } },
    ],
    edges: [
      { from: { node: 'input', port: 'out' }, to: { node: 'conv', port: 'in' } },
      { from: { node: 'conv', port: 'out' }, to: { node: 'head', port: 'in' } },
    ],
    meta: { description: 'unit-test graph', tasks: ['classify'], custom: { nested: [1, 2.5, 'x'] } },
  };
}

/** A clock that advances one second per call, so creation order is unambiguous. */
export function steppingClock(start = Date.UTC(2026, 10, 25, 14, 35, 1)): () => Date {
  let t = start;
  return () => new Date((t += 1000) - 1000);
}
