/**
 * Differential tests: our heap-to-heap wasm Slice / SplitV / contiguous
 * StridedSlice against cpu, over ranks, whole and partial axes, short and
 * long runs, and dtypes.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { expectClose, runOn } from './testUtils';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

const sliceCases: Array<{ shape: number[]; begin: number[]; size: number[] }> = [
  { shape: [10], begin: [3], size: [5] },
  { shape: [6, 7], begin: [2, 0], size: [3, 7] }, // whole rows: one run
  { shape: [6, 7], begin: [1, 2], size: [4, 3] }, // short runs
  { shape: [2, 4, 4, 40], begin: [0, 1, 0, 5], size: [2, 2, 4, 30] }, // long runs
  { shape: [2, 4, 4, 192], begin: [0, 0, 0, 7], size: [-1, -1, -1, 1] }, // one channel
  { shape: [3, 5, 6, 2], begin: [1, 0, 0, 0], size: [2, -1, -1, -1] },
  { shape: [2, 3, 4, 5, 6], begin: [1, 1, 0, 2, 1], size: [1, 2, 4, 3, 4] }, // rank 5
  { shape: [4, 5], begin: [0, 0], size: [0, 5] }, // empty
];

describe('wasm Slice matches cpu', () => {
  it.each(sliceCases.map((c) => [`shape=${c.shape.join('x')} begin=${c.begin.join(',')} size=${c.size.join(',')}`, c] as const))(
    '%s',
    async (_t, c) => {
      const specs = { x: { shape: c.shape, seed: 51 } };
      const run = (t: Record<string, tf.Tensor>) => tf.slice(t.x, c.begin, c.size);
      expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
    },
  );

  it('int32 slice keeps its values and dtype', async () => {
    const run = () => {
      const x = tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]);
      const s = tf.slice(x, [1, 1, 2], [2, 2, 3]);
      if (s.dtype !== 'int32') throw new Error(`dtype ${s.dtype}`);
      return s.toFloat();
    };
    expectClose(await runOn('wasm', {}, run), await runOn('cpu', {}, run));
  });
});

describe('wasm SplitV matches cpu', () => {
  const cases: Array<{ shape: number[]; splits: number | number[]; axis: number }> = [
    { shape: [4, 6, 9], splits: 3, axis: 2 },
    { shape: [4, 6, 9], splits: [1, 2, 3], axis: 1 },
    { shape: [8, 5], splits: [3, -1], axis: 0 },
  ];
  it.each(cases.map((c) => [`shape=${c.shape.join('x')} splits=${JSON.stringify(c.splits)} axis=${c.axis}`, c] as const))(
    '%s',
    async (_t, c) => {
      const specs = { x: { shape: c.shape, seed: 52 } };
      const run = (t: Record<string, tf.Tensor>) => tf.concat(tf.split(t.x, c.splits, c.axis).map((p) => p.flatten()));
      expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
    },
  );
});

describe('wasm StridedSlice matches cpu', () => {
  const cases: Array<{ shape: number[]; begin: number[]; end: number[]; strides: number[]; shrink?: number }> = [
    { shape: [5, 6, 7], begin: [1, 0, 0], end: [4, 6, 7], strides: [1, 1, 1] }, // contiguous: ours
    { shape: [5, 6, 7], begin: [1, 2, 0], end: [2, 5, 7], strides: [1, 1, 1] }, // simple slice
    { shape: [5, 6, 7], begin: [0, 0, 0], end: [5, 6, 7], strides: [1, 2, 1] }, // strided: built-in
    { shape: [4, 65, 8], begin: [0, 0, 0], end: [4, 1, 8], strides: [1, 1, 1], shrink: 2 }, // class token
  ];
  it.each(cases.map((c) => [`shape=${c.shape.join('x')} begin=${c.begin} end=${c.end} strides=${c.strides} shrink=${c.shrink ?? 0}`, c] as const))(
    '%s',
    async (_t, c) => {
      const specs = { x: { shape: c.shape, seed: 53 } };
      const run = (t: Record<string, tf.Tensor>) => tf.stridedSlice(t.x, c.begin, c.end, c.strides, 0, 0, 0, 0, c.shrink ?? 0);
      expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
    },
  );
});
