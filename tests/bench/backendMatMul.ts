/**
 * Micro-benchmark: our wasm BatchMatMul against the built-in on the products
 * of dense-layer gradients and attention, medians of interleaved runs in one
 * process (the numbers behind batchMatMul.ts's cost model). Usage:
 *   npx tsx tests/bench/backendMatMul.ts [threads=1] [reps=5]
 * Prints JSON; exits with process.exit() (threads).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../main/backend/selectBackend';
import { callBuiltin } from '../../main/backend/wasm/builtinKernels';

const threads = Number(process.argv[2] ?? 1);
const reps = Number(process.argv[3] ?? 5);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** [label, a shape, b shape, transposeA, transposeB] */
const cases: Array<[string, number[], number[], boolean, boolean]> = [
  ['dense dx, batch 2 (dy·Wᵀ)', [2, 3072], [768, 3072], false, true],
  ['dense dx, batch 8', [8, 3072], [768, 3072], false, true],
  ['dense dx, batch 32', [32, 3072], [768, 3072], false, true],
  ['dense dx, batch 128', [128, 3072], [768, 3072], false, true],
  ['dense dW, batch 2 (xᵀ·dy)', [2, 768], [2, 3072], true, false],
  ['dense dW, batch 32', [32, 768], [32, 3072], true, false],
  ['attention Q·Kᵀ, 96 heads, 65 tokens', [96, 65, 64], [96, 65, 64], false, true],
  ['attention P·V', [96, 65, 65], [96, 65, 64], false, false],
  ['attention Pᵀ·dO', [96, 65, 65], [96, 65, 64], true, false],
  ['attention Q·Kᵀ, 96 heads, 197 tokens', [96, 197, 64], [96, 197, 64], false, true],
];

const selected = await initBackend({ preferred: 'wasm', threads });
const backend = tf.backend();
const ours = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
const rows = [];
for (const [label, aShape, bShape, transposeA, transposeB] of cases) {
  const a = tf.randomNormal(aShape);
  const b = tf.randomNormal(bShape);
  const args = { inputs: { a, b }, backend, attrs: { transposeA, transposeB } };
  const times = { ours: [] as number[], builtin: [] as number[] };
  for (let r = 0; r < reps + 1; r++) {
    for (const [name, run] of [['ours', () => ours(args)], ['builtin', () => callBuiltin('BatchMatMul', args)]] as const) {
      const t0 = performance.now();
      const out = run() as tf.TensorInfo;
      const ms = performance.now() - t0;
      backend.disposeData(out.dataId);
      if (r > 0) times[name].push(ms);
    }
  }
  rows.push({ case: label, oursMs: +median(times.ours).toFixed(2), builtinMs: +median(times.builtin).toFixed(2) });
  tf.dispose([a, b]);
}
console.log(JSON.stringify({ backend: selected.label, reps, cases: rows }, null, 1));
process.exit(0);
