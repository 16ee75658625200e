/**
 * Differential tests: our wasm DepthwiseConv2dNativeBackpropFilter / …Input
 * (missing from tfjs-backend-wasm) against the cpu backend over kernel size,
 * stride, padding and channel-multiplier sweeps.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { expectClose, runOn } from './testUtils';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface Case {
  x: [number, number, number, number];
  k: [number, number];
  multiplier: number;
  strides: [number, number];
  pad: Pad;
}

const cases: Case[] = [];
for (const k of [1, 3, 5]) {
  for (const s of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      cases.push({ x: [2, 9, 8, 3], k: [k, k], multiplier: 1, strides: [s, s], pad });
    }
  }
}
cases.push({ x: [2, 9, 8, 3], k: [3, 3], multiplier: 2, strides: [1, 1], pad: 'same' });
cases.push({ x: [2, 9, 8, 3], k: [3, 3], multiplier: 3, strides: [2, 2], pad: 'same' });
cases.push({ x: [1, 10, 7, 4], k: [3, 5], multiplier: 1, strides: [1, 2], pad: 'same' });
cases.push({ x: [3, 8, 9, 2], k: [3, 3], multiplier: 2, strides: [2, 1], pad: 'valid' });
cases.push({ x: [2, 9, 8, 3], k: [3, 3], multiplier: 1, strides: [2, 2], pad: 1 });
cases.push({ x: [2, 9, 8, 3], k: [3, 3], multiplier: 1, strides: [2, 2], pad: [[0, 0], [3, 1], [0, 4], [0, 0]] });
cases.push({ x: [4, 16, 16, 16], k: [3, 3], multiplier: 1, strides: [2, 2], pad: 'same' }); // MobileNet-like
cases.push({ x: [2, 14, 14, 8], k: [7, 7], multiplier: 1, strides: [1, 1], pad: 'same' }); // ConvNeXt-like

function title(c: Case): string {
  return `x=${c.x.join('x')} k=${c.k.join('x')} multiplier=${c.multiplier} strides=${c.strides.join(',')} pad=${JSON.stringify(c.pad)}`;
}

const filterShape = (c: Case) => [c.k[0], c.k[1], c.x[3], c.multiplier] as [number, number, number, number];
const outShape = (c: Case) =>
  tf.backend_util.computeConv2DInfo(c.x, filterShape(c), c.strides, 1, c.pad, undefined, true).outShape;

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

describe('wasm DepthwiseConv2dNativeBackpropFilter matches cpu', () => {
  it.each(cases.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
    const specs = { x: { shape: c.x, seed: 1 }, dy: { shape: outShape(c), seed: 2 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, {
        strides: c.strides, pad: c.pad, dilations: [1, 1], dimRoundingMode: undefined, filterShape: filterShape(c),
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});

describe('wasm DepthwiseConv2dNativeBackpropInput matches cpu', () => {
  it.each(cases.map((c) => [title(c), c] as const))('%s', async (_t, c) => {
    const specs = { dy: { shape: outShape(c), seed: 3 }, filter: { shape: filterShape(c), seed: 4 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.filter }, {
        strides: c.strides, pad: c.pad, dilations: [1, 1], dimRoundingMode: undefined, inputShape: c.x,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});

describe('depthwiseConv2d gradients through tf.grads match cpu', () => {
  it.each(cases.filter((c) => typeof c.pad === 'string').map((c) => [title(c), c] as const))('%s', async (_t, c) => {
    const specs = { x: { shape: c.x, seed: 5 }, f: { shape: filterShape(c), seed: 6 } };
    const run = (t: Record<string, tf.Tensor>) => {
      const g = tf.grads((x: tf.Tensor, f: tf.Tensor) =>
        tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad as 'same').square().sum());
      const [dx, df] = g([t.x, t.f]);
      return tf.concat([dx.flatten(), df.flatten()]);
    };
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });
});
