/**
 * Differential tests: our wasm Conv2DBackpropFilter / Conv2DBackpropInput
 * against the cpu backend over kernel, stride and padding sweeps.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { convGeometry } from '../../../main/backend/wasm/convGeometry';
import { filterGradByPatches } from '../../../main/backend/wasm/filterGradByPatches';
import { filterGradBySwappedConv } from '../../../main/backend/wasm/filterGradBySwappedConv';
import type { WasmHeapBackend } from '../../../main/backend/wasm/kernelOps';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { expectClose, runOn } from './testUtils';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface Case {
  x: [number, number, number, number];
  k: number;
  cout: number;
  strides: [number, number];
  pad: Pad;
}

const cases: Case[] = [];
for (const k of [1, 3, 7]) {
  for (const s of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      cases.push({ x: [2, 9, 8, 3], k, cout: 4, strides: [s, s], pad });
    }
  }
}
cases.push({ x: [2, 10, 7, 3], k: 3, cout: 5, strides: [1, 2], pad: 'same' });
cases.push({ x: [1, 8, 9, 2], k: 3, cout: 3, strides: [2, 1], pad: 'valid' });
cases.push({ x: [2, 9, 8, 3], k: 3, cout: 4, strides: [2, 2], pad: 1 });
cases.push({ x: [2, 9, 8, 3], k: 3, cout: 4, strides: [1, 1], pad: [[0, 0], [0, 2], [1, 0], [0, 0]] });
cases.push({ x: [2, 9, 8, 3], k: 3, cout: 4, strides: [2, 2], pad: [[0, 0], [3, 1], [0, 4], [0, 0]] });
cases.push({ x: [2, 6, 6, 4], k: 1, cout: 8, strides: [2, 2], pad: 'valid' });
cases.push({ x: [3, 16, 16, 8], k: 3, cout: 16, strides: [2, 2], pad: 'same' });
// Few output positions: dx goes to the built-in loop.
cases.push({ x: [1, 3, 3, 16], k: 3, cout: 8, strides: [1, 1], pad: 'same' });
cases.push({ x: [2, 2, 2, 8], k: 2, cout: 16, strides: [2, 2], pad: 'valid' });

function title(c: Case): string {
  return `x=${c.x.join('x')} k=${c.k} cout=${c.cout} strides=${c.strides.join(',')} pad=${JSON.stringify(c.pad)}`;
}

function outShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, [c.k, c.k, c.x[3], c.cout], c.strides, 1, c.pad);
  return info.outShape;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

describe('wasm Conv2DBackpropFilter matches cpu', () => {
  it.each(cases.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
    const filterShape = [c.k, c.k, c.x[3], c.cout];
    const specs = { x: { shape: c.x, seed: 1 }, dy: { shape: outShape(c), seed: 2 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, {
        strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});

describe('dW formulations match cpu at every chunking', () => {
  // Chunks that split output rows, split images, and one chunk for all.
  const chunked = [cases[4], cases[6], cases[8], cases[12], cases[16], cases[18]];
  const variants = [
    ['patches chunk=7', (b: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: ReturnType<typeof convGeometry>) => filterGradByPatches(b, x, dy, g, 7)],
    ['patches chunk=50', (b: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: ReturnType<typeof convGeometry>) => filterGradByPatches(b, x, dy, g, 50)],
    ['patches one chunk', (b: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: ReturnType<typeof convGeometry>) => filterGradByPatches(b, x, dy, g, 1e9)],
    ['swapped conv', filterGradBySwappedConv],
  ] as const;
  it.each(chunked.flatMap((c) => variants.map(([name, f]) => [`${name} ${title(c)}`, c, f] as const)))('%s', async (_t, c, f) => {
    const filterShape = [c.k, c.k, c.x[3], c.cout] as [number, number, number, number];
    const specs = { x: { shape: c.x, seed: 7 }, dy: { shape: outShape(c), seed: 8 } };
    const ours = await runOn('wasm', specs, (t) => {
      const g = convGeometry(c.x, filterShape, { strides: c.strides, pad: c.pad });
      const dw = f(tf.backend() as unknown as WasmHeapBackend, t.x, t.dy, g);
      return tf.engine().makeTensorFromTensorInfo(dw);
    });
    const reference = await runOn('cpu', specs, (t) =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, {
        strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor);
    expectClose(ours, reference);
  });
});

describe('wasm Conv2DBackpropInput matches cpu', () => {
  it.each(cases.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
    const specs = { dy: { shape: outShape(c), seed: 3 }, filter: { shape: [c.k, c.k, c.x[3], c.cout], seed: 4 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: t.dy, filter: t.filter }, {
        strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: c.x,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});

describe('conv2d gradients through tf.grads match cpu', () => {
  it.each(cases.slice(0, 6).map((c) => [title(c), c] as const))('%s', async (_t, c) => {
    const specs = { x: { shape: c.x, seed: 5 }, f: { shape: [c.k, c.k, c.x[3], c.cout], seed: 6 } };
    const run = (t: Record<string, tf.Tensor>) => {
      const g = tf.grads((x: tf.Tensor, f: tf.Tensor) =>
        tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad as 'same').square().sum());
      const [dx, df] = g([t.x, t.f]);
      return tf.concat([dx.flatten(), df.flatten()]);
    };
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});
