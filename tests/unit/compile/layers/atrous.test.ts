import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DilatedConv2D, DilatedDepthwiseConv2D } from '../../../../main/compile/layers';
import { compileGraph } from '../../../../main/compile/compileGraph';
import type { SpatialPadding } from '../../../../main/core';
import { graph, input } from '../../core/graphFixtures';
import { randomTensor } from './gradientCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Every s-th row and column of an NHWC array, starting at 0: an independent reading of a stride. */
function everyNth(y: number[][][][], s: number): number[][][][] {
  return y.map((img) => img.filter((_, i) => i % s === 0).map((row) => row.filter((_, j) => j % s === 0)));
}

/** TF.js's own dilated convolution (forward only; it has no gradient), on explicitly padded input, at stride 1. */
function reference(x: tf.Tensor4D, kernel: tf.Tensor4D, dilation: number, padding: SpatialPadding, stride: number, depthwise: boolean): number[][][][] {
  const padded = tf.pad(x, [[0, 0], padding[0], padding[1], [0, 0]]);
  const y = depthwise ? tf.depthwiseConv2d(padded, kernel, 1, 'valid', 'NHWC', dilation) : tf.conv2d(padded, kernel, 1, 'valid', 'NHWC', dilation);
  return everyNth(y.arraySync(), stride);
}

const windows: [number, number, number, SpatialPadding, number[]][] = [
  // kernel, dilation, stride, padding, input [B,H,W,C]
  [3, 2, 1, [[2, 2], [2, 2]], [2, 7, 7, 3]],
  [3, 2, 1, [[0, 0], [0, 0]], [1, 9, 6, 2]],
  [3, 3, 1, [[3, 3], [3, 3]], [1, 8, 11, 2]],
  [2, 2, 1, [[0, 1], [1, 0]], [2, 5, 6, 1]],
  [3, 2, 2, [[2, 2], [2, 2]], [1, 9, 8, 2]],
  [5, 2, 3, [[1, 3], [4, 0]], [1, 12, 10, 2]],
  [1, 4, 1, [[0, 0], [0, 0]], [1, 5, 5, 3]],
];

describe('atrous (spaceToBatchND) convolutions equal TF.js’s own dilated convolution', () => {
  it('a 3×3 all-ones kernel with dilation 2 over a 5×5 ramp sums the 9 even positions: 108', () => {
    const layer = new DilatedConv2D({ name: 'c', filters: 1, kernelSize: 3, stride: 1, dilation: 2, padding: [[0, 0], [0, 0]], useBias: false });
    const x = tf.range(0, 25).reshape([1, 5, 5, 1]);
    layer.apply(x);
    layer.setWeights([tf.ones([3, 3, 1, 1])]);
    // Σ (5r + c) over r, c ∈ {0,2,4} = 3·5·(0+2+4) + 3·(0+2+4) = 90 + 18
    expect((layer.apply(x) as tf.Tensor).arraySync()).toEqual([[[[108]]]]);
  });

  it.each(windows)('conv k%i d%i s%i pad %j on %j', (k, d, s, padding, shape) => {
    const x = randomTensor(shape, 3) as tf.Tensor4D;
    const layer = new DilatedConv2D({ name: 'c', filters: 4, kernelSize: k, stride: s, dilation: d, padding, useBias: true });
    layer.apply(x);
    const kernel = randomTensor([k, k, shape[3], 4], 4) as tf.Tensor4D;
    layer.setWeights([kernel, tf.tensor1d([0.5, -1, 2, 0])]);
    const y = layer.apply(x) as tf.Tensor4D;
    const expected = tf.add(tf.tensor(reference(x, kernel, d, padding, s, false)), tf.tensor1d([0.5, -1, 2, 0]));
    expect(y.shape).toEqual(expected.shape);
    expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...expected.shape.slice(1)]);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it.each(windows)('depthwise k%i d%i s%i pad %j on %j (multiplier 2)', (k, d, s, padding, shape) => {
    const x = randomTensor(shape, 5) as tf.Tensor4D;
    const layer = new DilatedDepthwiseConv2D({ name: 'd', depthMultiplier: 2, kernelSize: k, stride: s, dilation: d, padding, useBias: false });
    layer.apply(x);
    const kernel = randomTensor([k, k, shape[3], 2], 6) as tf.Tensor4D;
    layer.setWeights([kernel]);
    const y = layer.apply(x) as tf.Tensor4D;
    const expected = tf.tensor(reference(x, kernel, d, padding, s, true));
    expect(y.shape).toEqual(expected.shape);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
  });
});

describe('dilated blocks compile to the atrous layers with PyTorch padding', () => {
  it.each([
    ['Conv2d', { outChannels: 3, dilation: 2, padding: 'same' }, [2, 9, 8]],
    ['Conv2d', { outChannels: 3, dilation: 3, padding: 3, stride: 2, kernel: 3 }, [2, 11, 10]],
    ['DepthwiseConv2d', { dilation: 2, padding: 2 }, [3, 8, 7]],
    ['SeparableConv2d', { outChannels: 4, dilation: 2, padding: 'valid', kernel: 3 }, [3, 9, 9]],
  ] as const)('%s %j on %j: the layer shape is inference’s and a gradient exists', (type, params, shape) => {
    const g = graph([input(...(shape as unknown as [number, number, number])), { id: 'x', type, params: { ...params } }], ['in -> x']);
    const { model, report } = compileGraph(g, tf);
    const [c, h, w] = report.nodes.find((n) => n.id === 'x')!.outShape!;
    expect((model.outputs[0].shape as number[]).slice(1)).toEqual([h, w, c]);
    const x = tf.randomNormal([2, shape[1], shape[2], shape[0]]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar);
    expect(Object.keys(grads)).toHaveLength(model.trainableWeights.length);
    for (const grad of Object.values(grads)) expect(tf.sum(tf.abs(grad)).dataSync()[0]).toBeGreaterThan(0);
    model.dispose();
  });

  it('"same" with an odd total padding puts the extra zeros after, as PyTorch: k2 d3 pads 1 before and 2 after', () => {
    // span 3·(2−1)+1 = 4, so 3 zero rows/columns in all: 1 before, 2 after. Output (i,j) then reads input rows and
    // columns i−1 and i+2 (j−1 and j+2): with an all-ones kernel, the sum of those of the four that exist.
    const g = graph([input(1, 4, 4), { id: 'x', type: 'Conv2d', params: { outChannels: 1, kernel: 2, dilation: 3, padding: 'same', bias: false } }], ['in -> x']);
    const { model } = compileGraph(g, tf);
    model.getLayer('x').setWeights([tf.ones([2, 2, 1, 1])]);
    const ramp = (r: number, c: number) => (r >= 0 && r < 4 && c >= 0 && c < 4 ? 4 * r + c : 0);
    const expected = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => [ramp(i - 1, j - 1) + ramp(i - 1, j + 2) + ramp(i + 2, j - 1) + ramp(i + 2, j + 2)]));
    expect((model.predict(tf.range(0, 16).reshape([1, 4, 4, 1])) as tf.Tensor).arraySync()).toEqual([expected]);
    model.dispose();
  });
});
