/**
 * Micro-benchmark: the wasm Conv2DBackpropFilter formulations on the conv
 * shapes of tests/bench/backendResnet.ts (batch 32, 3×128×128), medians of
 * interleaved runs in one process. Usage:
 *   npx tsx tests/bench/backendConvFilterGrad.ts [threads=2] [reps=5] [chunks=default]
 * `chunks` (comma-separated positions per product) adds patch variants with
 * those chunk sizes. Prints JSON; exits with process.exit() (threads).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../main/backend/selectBackend';
import { convGeometry } from '../../main/backend/wasm/convGeometry';
import { filterGradByPatches } from '../../main/backend/wasm/filterGradByPatches';
import { filterGradBySwappedConv } from '../../main/backend/wasm/filterGradBySwappedConv';
import type { WasmHeapBackend } from '../../main/backend/wasm/kernelOps';

const threads = Number(process.argv[2] ?? 2);
const reps = Number(process.argv[3] ?? 5);
const chunks = (process.argv[4] ?? '').split(',').filter(Boolean).map(Number);

/** [x shape, kernel, cout, stride] of each conv in the benchmark ResNet. */
const layers: Array<[[number, number, number, number], number, number, number]> = [
  [[32, 128, 128, 3], 3, 32, 2],
  [[32, 64, 64, 32], 3, 64, 2], [[32, 32, 32, 64], 3, 64, 1], [[32, 64, 64, 32], 1, 64, 2],
  [[32, 32, 32, 64], 3, 128, 2], [[32, 16, 16, 128], 3, 128, 1], [[32, 32, 32, 64], 1, 128, 2],
  [[32, 16, 16, 128], 3, 160, 2], [[32, 8, 8, 160], 3, 160, 1], [[32, 16, 16, 128], 1, 160, 2],
];

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const selected = await initBackend({ preferred: 'wasm', threads });
const backend = tf.backend() as unknown as WasmHeapBackend;

type Method = (x: tf.TensorInfo, dy: tf.TensorInfo, g: ReturnType<typeof convGeometry>) => tf.TensorInfo;
const methods: Record<string, Method> = {
  swappedConv: (x, dy, g) => filterGradBySwappedConv(backend, x, dy, g),
  patches: (x, dy, g) => filterGradByPatches(backend, x, dy, g),
};
for (const c of chunks) methods[`patches@${c}`] = (x, dy, g) => filterGradByPatches(backend, x, dy, g, c);

const rows = [];
const totals: Record<string, number> = {};
const cpuTotals: Record<string, number> = {}; // process CPU time (all threads): steadier than wall time on a loaded machine
for (const [xShape, k, cout, s] of layers) {
  const g = convGeometry(xShape, [k, k, xShape[3], cout], { strides: s, pad: 'same' });
  const x = tf.randomNormal(xShape);
  const dy = tf.randomNormal([g.n, g.oh, g.ow, cout]);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(methods).map((m) => [m, []]));
  const cpuTimes: Record<string, number[]> = Object.fromEntries(Object.keys(methods).map((m) => [m, []]));
  for (let r = 0; r < reps + 1; r++) {
    for (const [name, method] of Object.entries(methods)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const dw = method(x, dy, g);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      backend.disposeData(dw.dataId);
      if (r > 0) { // first round: warm-up (heap growth)
        times[name].push(ms);
        cpuTimes[name].push((c.user + c.system) / 1000);
      }
    }
  }
  const row: Record<string, unknown> = { layer: `${xShape.join('x')} k${k} s${s} →${cout}` };
  for (const [name, t] of Object.entries(times)) {
    row[name] = [+median(t).toFixed(1), +median(cpuTimes[name]).toFixed(1)];
    totals[name] = (totals[name] ?? 0) + median(t);
    cpuTotals[name] = (cpuTotals[name] ?? 0) + median(cpuTimes[name]);
  }
  rows.push(row);
  tf.dispose([x, dy]);
}
console.log(JSON.stringify({
  backend: selected.label, reps, layers: rows,
  /** Per layer: [median wall ms, median process CPU ms]. */
  totalMs: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v)])),
  totalCpuMs: Object.fromEntries(Object.entries(cpuTotals).map(([k, v]) => [k, Math.round(v)])),
}, null, 1));
process.exit(0);
