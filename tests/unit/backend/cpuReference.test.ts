/**
 * The cpu reference kernels used by templateKernels.test.ts: the nearest
 * resize gradient against values worked out by hand (cpu's own is wrong
 * past the first image), the bilinear resize gradient as the adjoint of
 * cpu's forward resize (⟨resize(x), w⟩ = ⟨x, grad(w)⟩), the per-tap conv
 * filter gradient against cpu's own kernel; and wasm's resize gradients
 * (ours for bilinear: the built-in ignores halfPixelCenters) against these,
 * with wasm's forward resize equal to cpu's so the same adjoint applies.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { withCpuReferenceKernels } from './cpuReference';
import { expectClose, runOn } from './testUtils';

/** dy = 0, 1, 2, … for a 2× nearest upsampling of [2, 1, 1, 1] → each image sums its 4 dy pixels. */
const nearestCase = { images: [2, 1, 1, 1], dy: [2, 2, 2, 1], expected: [0 + 1 + 2 + 3, 4 + 5 + 6 + 7] };

async function nearestGrad(backend: 'cpu' | 'wasm'): Promise<number[]> {
  await tf.setBackend(backend);
  const dy = tf.range(0, 8).reshape(nearestCase.dy);
  const images = tf.zeros(nearestCase.images);
  const g = tf.engine().runKernel('ResizeNearestNeighborGrad', { images, dy }, { alignCorners: false, halfPixelCenters: false }) as tf.Tensor;
  const values = Array.from(await g.data());
  tf.dispose([dy, images, g]);
  return values;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

describe('cpu reference kernels', () => {
  it('ResizeNearestNeighborGrad sums each image\'s own dy pixels (batch 2)', async () => {
    expect(await withCpuReferenceKernels(() => nearestGrad('cpu'))).toEqual(nearestCase.expected);
    expect(await nearestGrad('wasm')).toEqual(nearestCase.expected);
  });

  it('ResizeNearestNeighborGrad matches wasm on a 3× upsampling with channels', async () => {
    const specs = { x: { shape: [3, 4, 5, 6], seed: 61 } };
    const run = (t: Record<string, tf.Tensor>) =>
      tf.grad((x: tf.Tensor) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [12, 15]).square().sum())(t.x);
    expectClose(await runOn('wasm', specs, run), await withCpuReferenceKernels(() => runOn('cpu', specs, run)));
  });

  const bilinearCases: Array<{ x: number[]; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean }> = [
    { x: [2, 5, 6, 3], size: [10, 12], alignCorners: false, halfPixelCenters: false },
    { x: [2, 5, 6, 3], size: [10, 12], alignCorners: true, halfPixelCenters: false },
    { x: [2, 5, 6, 3], size: [7, 9], alignCorners: false, halfPixelCenters: true },
    { x: [1, 8, 4, 2], size: [3, 5], alignCorners: false, halfPixelCenters: true }, // down in height, up in width
  ];
  const bilinearTitle = (c: (typeof bilinearCases)[number]) =>
    `x=${c.x.join('x')} size=${c.size.join('x')} alignCorners=${c.alignCorners} halfPixelCenters=${c.halfPixelCenters}`;

  it.each(bilinearCases.map((c) => [bilinearTitle(c), c] as const))('ResizeBilinearGrad is the adjoint of resizeBilinear: %s', async (_t, c) => {
    await tf.setBackend('cpu');
    const [x, w] = [tf.randomUniform(c.x, -1, 1, 'float32', 64), tf.randomUniform([c.x[0], ...c.size, c.x[3]], -1, 1, 'float32', 65)];
    const forward = await tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters).mul(w)).data();
    const backward = await withCpuReferenceKernels(async () => {
      const g = tf.engine().runKernel('ResizeBilinearGrad', { images: x, dy: w }, {
        alignCorners: c.alignCorners, halfPixelCenters: c.halfPixelCenters,
      }) as tf.Tensor;
      return tf.sum(g.mul(x)).data();
    });
    expect(backward[0]).toBeCloseTo(forward[0], 4);
    tf.dispose([x, w]);
  });

  it.each(bilinearCases.map((c) => [bilinearTitle(c), c] as const))('wasm resizeBilinear (forward) matches cpu: %s', async (_t, c) => {
    const specs = { x: { shape: c.x, seed: 68 } };
    const run = (t: Record<string, tf.Tensor>) => tf.image.resizeBilinear(t.x as tf.Tensor4D, c.size, c.alignCorners, c.halfPixelCenters);
    expectClose(await runOn('wasm', specs, run), await runOn('cpu', specs, run));
  });

  it.each(bilinearCases.map((c) => [bilinearTitle(c), c] as const))('wasm ResizeBilinearGrad matches the reference: %s', async (_t, c) => {
    const specs = { x: { shape: c.x, seed: 66 }, dy: { shape: [c.x[0], ...c.size, c.x[3]], seed: 67 } };
    const run = (t: Record<string, tf.Tensor>) => tf.engine().runKernel('ResizeBilinearGrad', { images: t.x, dy: t.dy }, {
      alignCorners: c.alignCorners, halfPixelCenters: c.halfPixelCenters,
    }) as tf.Tensor;
    expectClose(await runOn('wasm', specs, run), await withCpuReferenceKernels(() => runOn('cpu', specs, run)));
  });

  const convCases: Array<{ x: number[]; k: number; cout: number; s: number; pad: 'same' | 'valid' }> = [
    { x: [2, 9, 8, 3], k: 3, cout: 4, s: 1, pad: 'same' },
    { x: [2, 9, 8, 3], k: 3, cout: 4, s: 2, pad: 'same' },
    { x: [3, 10, 7, 2], k: 5, cout: 3, s: 2, pad: 'valid' },
    { x: [2, 6, 6, 4], k: 1, cout: 8, s: 2, pad: 'valid' },
  ];
  it.each(convCases.map((c) => [`Conv2DBackpropFilter x=${c.x.join('x')} k=${c.k} s=${c.s} pad=${c.pad}`, c] as const))(
    '%s matches cpu\'s own kernel',
    async (_t, c) => {
      const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], [c.k, c.k, c.x[3], c.cout], c.s, 1, c.pad);
      const specs = { x: { shape: c.x, seed: 62 }, dy: { shape: info.outShape, seed: 63 } };
      const run = (t: Record<string, tf.Tensor>) => tf.engine().runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, {
        strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [c.k, c.k, c.x[3], c.cout],
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
      expectClose(await withCpuReferenceKernels(() => runOn('cpu', specs, run)), await runOn('cpu', specs, run));
    },
  );
});
