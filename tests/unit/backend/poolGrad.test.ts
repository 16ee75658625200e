/**
 * Differential tests of the pooling gradients on wasm against cpu: our
 * MaxPoolGrad (the built-in drops the gradient of windows whose values are
 * all ≤ 0) and the built-in AvgPoolGrad, over window, stride and padding
 * sweeps on inputs of both signs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, restoreBuiltinWasmKernels } from '../../../main/backend/wasm/registerKernels';
import { expectClose, runOn } from './testUtils';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

interface Case { x: [number, number, number, number]; k: number; s: number; pad: 'same' | 'valid' }
const cases: Case[] = [];
for (const [k, s] of [[2, 2], [3, 2], [3, 1], [3, 3]]) {
  for (const pad of ['same', 'valid'] as const) cases.push({ x: [2, 7, 8, 3], k, s, pad });
}
cases.push({ x: [1, 4, 4, 1], k: 2, s: 2, pad: 'valid' });
cases.push({ x: [4, 16, 16, 8], k: 3, s: 2, pad: 'same' }); // ResNet stem

const title = (c: Case) => `x=${c.x.join('x')} k=${c.k} s=${c.s} pad=${c.pad}`;

for (const op of ['maxPool', 'avgPool'] as const) {
  describe(`wasm ${op} gradient matches cpu`, () => {
    it.each(cases.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
      const specs = { x: { shape: c.x, seed: 71 }, w: { shape: tf.backend_util.computePool2DInfo(c.x, c.k, c.s, 1, c.pad).outShape, seed: 72 } };
      const run = (t: Record<string, tf.Tensor>) =>
        tf.grad((x: tf.Tensor) => tf[op](x as tf.Tensor4D, c.k, c.s, c.pad).mul(t.w).sum())(t.x);
      expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
    });
  });
}

describe('wasm MaxPoolGrad on ReLU-like inputs (ties at zero) matches cpu', () => {
  it('x=2x8x8x4 k=3 s=2 pad=same, half the inputs zero', async () => {
    const specs = { x: { shape: [2, 8, 8, 4], seed: 73 }, w: { shape: [2, 4, 4, 4], seed: 74 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.grad((x: tf.Tensor) => tf.maxPool(tf.relu(x) as tf.Tensor4D, 3, 2, 'same').mul(t.w).sum())(t.x);
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});

describe('the built-in wasm MaxPoolGrad bug this replaces', () => {
  // Two 2×2 windows: [5, 6 / 7, 8] (maximum 8 at flat index 5) and
  // [−1, −2 / −3, −4] (maximum −1 at flat index 2).
  const values = [5, 6, -1, -2, 7, 8, -3, -4];
  const correct = [0, 0, 1, 0, 0, 1, 0, 0];
  const gradient = async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values, [1, 2, 4, 1]);
    const dx = tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').sum())(x);
    const result = Array.from(await dx.data());
    tf.dispose([x, dx]);
    return result;
  };

  it('ours sends each window\'s gradient to its maximum, negative or not', async () => {
    expect(await gradient()).toEqual(correct);
  });

  it('the built-in drops the all-negative window\'s gradient', async () => {
    restoreBuiltinWasmKernels();
    try {
      expect(await gradient()).toEqual([0, 0, 0, 0, 0, 1, 0, 0]);
    } finally {
      registerWasmTrainingKernels();
    }
  });
});
