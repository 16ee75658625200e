/**
 * Micro-benchmark: img/s training a small ResNet-like net on the wasm backend
 * (batch 32, 3×128×128, Adam), as in DESIGN.md §4, plus a per-kernel profile
 * of one step. Usage:
 *   npx tsx tests/bench/backendResnet.ts [threads=2] [steps=6] [kernels=all|none|A,B] [dw=patches|swapped|both]
 * `kernels` picks which of our wasm kernels replace the built-ins (dW is
 * always needed: without it no conv net trains on wasm). `dw` picks the
 * Conv2DBackpropFilter formulation; `both` alternates them step by step in
 * this process and reports each one's median (fair on a loaded machine).
 * Prints JSON.
 * Exits with process.exit(): threaded wasm never exits by itself.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../main/backend/selectBackend';
import { convGeometry } from '../../main/backend/wasm/convGeometry';
import { filterGradBySwappedConv } from '../../main/backend/wasm/filterGradBySwappedConv';
import type { KernelArgs, WasmHeapBackend } from '../../main/backend/wasm/kernelOps';
import { registerWasmTrainingKernels, restoreBuiltinWasmKernels, wasmTrainingKernels } from '../../main/backend/wasm/registerKernels';

const threads = Number(process.argv[2] ?? 2);
const steps = Number(process.argv[3] ?? 6);
const kernelArg = process.argv[4] ?? 'all';
const dwArg = process.argv[5] ?? 'patches';
const BATCH = 32;
const SIZE = 128;

function convBn(x: tf.SymbolicTensor, filters: number, strides: number, relu: boolean): tf.SymbolicTensor {
  const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x);
  const b = tf.layers.batchNormalization().apply(c) as tf.SymbolicTensor;
  return relu ? (tf.layers.reLU().apply(b) as tf.SymbolicTensor) : b;
}

/** Residual block with a 1×1 strided projection shortcut. */
function block(x: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor {
  const a = convBn(x, filters, strides, true);
  const b = convBn(a, filters, 1, false);
  const p = tf.layers.conv2d({ filters, kernelSize: 1, strides, useBias: false }).apply(x);
  const s = tf.layers.batchNormalization().apply(p) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(tf.layers.add().apply([b, s])) as tf.SymbolicTensor;
}

function buildResnet(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  let x = convBn(input, 32, 2, true);
  x = block(x, 64, 2);
  x = block(x, 128, 2);
  x = block(x, 160, 2);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x);
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const selected = await initBackend({ preferred: 'wasm', threads });
restoreBuiltinWasmKernels();
const only = kernelArg === 'all' ? undefined : ['Conv2DBackpropFilter', ...kernelArg.split(',').filter((k) => k && k !== 'none')];
const ours = registerWasmTrainingKernels(only);

const ourFilterGrad = wasmTrainingKernels.find((k) => k.kernelName === 'Conv2DBackpropFilter')!;
/** The previous dW kernel: one convolution with batch and channels swapped. */
const swappedFilterGrad: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ((args: KernelArgs) => {
    const attrs = args.attrs as unknown as { filterShape: [number, number, number, number]; strides: number; pad: 'same' };
    const g = convGeometry(args.inputs.x.shape as [number, number, number, number], attrs.filterShape, attrs);
    return filterGradBySwappedConv(args.backend as WasmHeapBackend, args.inputs.x, args.inputs.dy, g);
  }) as unknown as tf.KernelFunc,
};
function useFilterGrad(which: string): void {
  tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel(which === 'swapped' ? swappedFilterGrad : ourFilterGrad);
}
const dwOrder = dwArg === 'both' ? ['patches', 'swapped'] : [dwArg];
useFilterGrad(dwOrder[0]);

const model = buildResnet();
const xs = tf.randomNormal([BATCH, SIZE, SIZE, 3]);
const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32') as tf.Tensor1D, 10);
const times: number[] = [];
const cpuMs: number[] = []; // whole process (all threads): shows contention from other load
const byVariant: Record<string, { ms: number[]; cpuMs: number[] }> = Object.fromEntries(dwOrder.map((d) => [d, { ms: [], cpuMs: [] }]));
for (let i = 0; i < steps; i++) {
  const variant = dwOrder[i % dwOrder.length];
  useFilterGrad(variant);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await model.trainOnBatch(xs, ys);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpuMs.push((c.user + c.system) / 1000);
  if (i >= 2) { // first two steps: warm-up (operator creation, heap growth)
    byVariant[variant].ms.push(times[i]);
    byVariant[variant].cpuMs.push(cpuMs[i]);
  }
}
useFilterGrad(dwOrder[0]);
const measured = times.slice(2);
// Names ending in '__op' are op wrappers around kernels listed separately.
const profile = await tf.profile(async () => { await model.trainOnBatch(xs, ys); });
const byKernel = new Map<string, number>();
for (const k of profile.kernels.filter((k) => !k.name.endsWith('__op'))) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({ name, ms: Math.round(ms) }));
const stepMs = median(measured);
console.log(JSON.stringify({
  backend: selected.label,
  ourKernels: ours,
  stepMs: times.map(Math.round),
  medianStepMs: Math.round(stepMs),
  medianCpuMsPerStep: Math.round(median(cpuMs.slice(2))),
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  imgPerSec: +(BATCH / (stepMs / 1000)).toFixed(2),
  dwVariants: Object.fromEntries(Object.entries(byVariant).map(([d, v]) => [d, {
    medianStepMs: Math.round(median(v.ms)), medianCpuMs: Math.round(median(v.cpuMs)), steps: v.ms.length,
  }])),
  profileTotalKernelMs: Math.round([...byKernel.values()].reduce((a, b) => a + b, 0)),
  topKernels: top,
}, null, 1));
process.exit(0);
