/**
 * Differential tests: our wasm BatchMatMul (explicit transposes, folded or
 * per-entry batches instead of the built-in scalar loop) and
 * UnsortedSegmentSum (missing from tfjs-backend-wasm) against cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { matMulByProducts } from '../../../main/backend/wasm/batchMatMul';
import type { WasmHeapBackend } from '../../../main/backend/wasm/kernelOps';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { expectClose, runOn } from './testUtils';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

interface MatMulCase { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }

const matMulCases: MatMulCase[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    const [m, k, n] = [40, 36, 33];
    const a2 = transposeA ? [k, m] : [m, k];
    const b2 = transposeB ? [n, k] : [k, n];
    matMulCases.push({ a: a2, b: b2, transposeA, transposeB }); // dense layer and its gradients
    matMulCases.push({ a: [6, ...a2], b: [6, ...b2], transposeA, transposeB }); // attention heads
    matMulCases.push({ a: [2, 3, ...a2], b: b2, transposeA, transposeB }); // shared b: batch folded into rows
    matMulCases.push({ a: [2, 3, ...a2], b: [1, ...b2], transposeA, transposeB });
  }
}
matMulCases.push({ a: [4, 5, 6], b: [4, 6, 3], transposeA: false, transposeB: false }); // tiny
matMulCases.push({ a: [64, 300], b: [200, 300], transposeA: false, transposeB: true }); // big enough for XNNPACK
matMulCases.push({ a: [40, 36], b: [3, 36, 33], transposeA: false, transposeB: false }); // shared a: built-in
matMulCases.push({ a: [2, 65, 64], b: [2, 65, 64], transposeA: false, transposeB: true }); // Q·Kᵀ
matMulCases.push({ a: [2, 65, 65], b: [2, 65, 64], transposeA: true, transposeB: false }); // dV = Pᵀ·dO

const matMulTitle = (c: MatMulCase) => `a=${c.a.join('x')} b=${c.b.join('x')} transposeA=${c.transposeA} transposeB=${c.transposeB}`;

describe('wasm BatchMatMul matches cpu', () => {
  // Whichever path the cost model picks.
  it.each(matMulCases.map((c) => [matMulTitle(c), c] as const))('%s', async (_t, c) => {
    const specs = { a: { shape: c.a, seed: 41 }, b: { shape: c.b, seed: 42 } };
    const run = (t: Record<string, tf.Tensor>) => tf.matMul(t.a, t.b, c.transposeA, c.transposeB);
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });

  // Our XNNPACK path on every case it accepts, whatever the cost model says.
  const sameOrSharedB = (c: MatMulCase) => c.b.length === 2 || c.b.slice(0, -2).reduce((x, y) => x * y, 1) === 1
    || c.a.slice(0, -2).reduce((x, y) => x * y, 1) === c.b.slice(0, -2).reduce((x, y) => x * y, 1);
  it.each(matMulCases.filter(sameOrSharedB).map((c) => [`products: ${matMulTitle(c)}`, c] as const))('%s', async (_t, c) => {
    const specs = { a: { shape: c.a, seed: 41 }, b: { shape: c.b, seed: 42 } };
    const ours = await runOn('wasm', specs, (t) => tf.engine().makeTensorFromTensorInfo(
      matMulByProducts(tf.backend() as unknown as WasmHeapBackend, t.a, t.b, c.transposeA, c.transposeB)));
    const reference = await runOn('cpu', specs, (t) => tf.matMul(t.a, t.b, c.transposeA, c.transposeB));
    expectClose(ours, reference);
  });

  it('dense layer gradients (fused matmul + bias) match cpu', async () => {
    const specs = { x: { shape: [16, 48], seed: 43 }, w: { shape: [48, 40], seed: 44 }, bias: { shape: [40], seed: 45 } };
    const run = (t: Record<string, tf.Tensor>) => {
      const g = tf.grads((x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias, activation: 'relu' }).square().sum());
      return tf.concat(g([t.x, t.w, t.bias]).map((d) => d.flatten()));
    };
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});

describe('wasm UnsortedSegmentSum matches cpu', () => {
  const cases = [
    { x: [10], ids: [0, 2, 2, 1, 0, 4, 4, 4, 3, 0], numSegments: 5 },
    { x: [8, 3, 4], ids: [1, 1, 0, 5, 2, 0, 5, 1], numSegments: 6 },
    { x: [6, 7], ids: [0, 0, 0, 0, 0, 0], numSegments: 3 }, // empty segments stay zero
    { x: [5, 2], ids: [3, -1, 1, 7, 1], numSegments: 4 }, // out-of-range ids contribute nothing
  ];
  it.each(cases.map((c) => [`x=${c.x.join('x')} ids=${c.ids.join(',')} numSegments=${c.numSegments}`, c] as const))(
    '%s',
    async (_t, c) => {
      const specs = { x: { shape: c.x, seed: 46 } };
      const run = (t: Record<string, tf.Tensor>) => tf.unsortedSegmentSum(t.x, tf.tensor1d(c.ids, 'int32'), c.numSegments);
      expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
    },
  );

  it('gather gradient (embedding lookup) matches cpu', async () => {
    const specs = { table: { shape: [12, 5], seed: 47 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.grad((table: tf.Tensor) => tf.gather(table, tf.tensor1d([3, 0, 3, 11, 7, 3], 'int32')).square().sum())(t.table);
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});
