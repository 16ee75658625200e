/**
 * Differential tests: our wasm Tile / Sum / Mean (fast paths for broadcasts
 * and leading-axis reductions, built-in fallback otherwise) against cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { expectClose, runOn } from './testUtils';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

const reductionCases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
  { shape: [4, 5, 6, 7], axis: [0, 1, 2], keepDims: false }, // BatchNorm statistics (fast path)
  { shape: [4, 5, 6, 7], axis: [2, 0, 1], keepDims: true }, // unsorted leading axes
  { shape: [4, 5, 6, 7], axis: [0], keepDims: false },
  { shape: [4, 5, 6, 7], axis: [0, 1], keepDims: true },
  { shape: [32, 10], axis: 0, keepDims: false }, // dense bias gradient
  { shape: [4, 5, 6, 7], axis: [-4, -3], keepDims: false }, // negative axes
  { shape: [4, 5, 6, 7], axis: [1, 2], keepDims: false }, // not leading: built-in
  { shape: [4, 5, 6, 7], axis: [3], keepDims: true }, // trailing: built-in
  { shape: [4, 5, 6, 7], axis: [0, 1, 2, 3], keepDims: false }, // all axes: built-in
  { shape: [64, 33, 17, 3], axis: [0, 1, 2], keepDims: false }, // long reduction
];

for (const op of ['sum', 'mean'] as const) {
  describe(`wasm ${op} matches cpu`, () => {
    it.each(reductionCases.map((c) => [`shape=${c.shape.join('x')} axis=${JSON.stringify(c.axis)} keepDims=${c.keepDims}`, c] as const))(
      '%s',
      async (_t, c) => {
        const specs = { x: { shape: c.shape, seed: 21 } };
        const run = (t: Record<string, tf.Tensor>) => tf[op](t.x, c.axis, c.keepDims);
        expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
      },
    );
  });
}

describe('wasm int32 sum (built-in fallback) matches cpu', () => {
  it('shape=3x4 axis=0 int32', async () => {
    const run = () => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 4], 'int32'), 0).toFloat();
    expectClose(await runOn('wasm', {}, run), await runOn('cpu', {}, run));
  });
});

const tileCases: Array<{ shape: number[]; reps: number[] }> = [
  { shape: [1, 1, 1, 8], reps: [4, 5, 6, 1] }, // BatchNorm gradient's broadcast
  { shape: [3, 1, 5], reps: [1, 4, 1] },
  { shape: [1, 7], reps: [3, 1] },
  { shape: [2, 3], reps: [2, 2] }, // real tiling: built-in
  { shape: [2, 1, 3], reps: [2, 3, 1] }, // mixed: built-in
];

describe('wasm Tile matches cpu', () => {
  it.each(tileCases.map((c) => [`shape=${c.shape.join('x')} reps=${c.reps.join(',')}`, c] as const))('%s', async (_t, c) => {
    const specs = { x: { shape: c.shape, seed: 31 } };
    const run = (t: Record<string, tf.Tensor>) => tf.tile(t.x, c.reps);
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});
