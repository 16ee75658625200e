import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassToken, DilatedConv2D, DilatedDepthwiseConv2D, GroupNorm, InterpolateResize, L2Normalize, MultiHeadSelfAttention, PositionEmbedding } from '../../../../main/compile/layers';
import { TOLERANCE, checkLayerGradients, randomTensor } from './gradientCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Builds the layer on x, then gives every weight random values (so no check runs at a trivial point such as γ = 1, β = 0). */
function withRandomWeights(layer: tf.layers.Layer, x: tf.Tensor): tf.layers.Layer {
  layer.apply(x);
  layer.setWeights(layer.getWeights().map((w, i) => randomTensor(w.shape, 100 + i, 0.5)));
  return layer;
}

const cases: [string, () => tf.layers.Layer, number[]][] = [
  ['GroupNorm groups=2 on [2,3,3,4]', () => new GroupNorm({ name: 'gn', groups: 2, epsilon: 1e-5 }), [2, 3, 3, 4]],
  ['GroupNorm groups=1 on [1,2,5,3]', () => new GroupNorm({ name: 'gn1', groups: 1, epsilon: 1e-5 }), [1, 2, 5, 3]],
  ['ClassToken on [2,3,4]', () => new ClassToken({ name: 'cls' }), [2, 3, 4]],
  ['PositionEmbedding on [2,3,4]', () => new PositionEmbedding({ name: 'pos' }), [2, 3, 4]],
  ['MultiHeadSelfAttention heads=2 on [2,3,4]', () => new MultiHeadSelfAttention({ name: 'mhsa', heads: 2, qkvBias: true, dropout: 0 }), [2, 3, 4]],
  ['MultiHeadSelfAttention heads=1 no qkv bias on [1,4,3]', () => new MultiHeadSelfAttention({ name: 'mhsa1', heads: 1, qkvBias: false, dropout: 0 }), [1, 4, 3]],
  ['L2Normalize on [3,5]', () => new L2Normalize({ name: 'l2', epsilon: 1e-12 }), [3, 5]],
  [
    'DilatedConv2D k3 d2 s1 pad 2/2,1/1 on [2,7,6,3]',
    () => new DilatedConv2D({ name: 'dc', filters: 2, kernelSize: 3, stride: 1, dilation: 2, padding: [[2, 2], [1, 1]], useBias: true }),
    [2, 7, 6, 3],
  ],
  [
    'DilatedConv2D k2 d3 s2 pad 1/2,0/1 on [1,8,7,2]',
    () => new DilatedConv2D({ name: 'dc2', filters: 3, kernelSize: 2, stride: 2, dilation: 3, padding: [[1, 2], [0, 1]], useBias: true }),
    [1, 8, 7, 2],
  ],
  [
    'DilatedDepthwiseConv2D k3 d2 M2 pad 2 on [2,6,7,3]',
    () => new DilatedDepthwiseConv2D({ name: 'dd', depthMultiplier: 2, kernelSize: 3, stride: 1, dilation: 2, padding: [[2, 2], [2, 2]], useBias: true }),
    [2, 6, 7, 3],
  ],
  [
    'DilatedDepthwiseConv2D k3 d3 s2 valid on [1,9,8,2]',
    () => new DilatedDepthwiseConv2D({ name: 'dd2', depthMultiplier: 1, kernelSize: 3, stride: 2, dilation: 3, padding: [[0, 0], [0, 0]], useBias: false }),
    [1, 9, 8, 2],
  ],
  ['InterpolateResize bilinear [2,3] → [5,7] on [2,2,3,2]', () => new InterpolateResize({ name: 'rb', size: [5, 7], mode: 'bilinear' }), [2, 2, 3, 2]],
  ['InterpolateResize bilinear ×2 non-square [2,3] → [4,6]', () => new InterpolateResize({ name: 'rb2', size: [4, 6], mode: 'bilinear' }), [1, 2, 3, 1]],
  ['InterpolateResize nearest [3,4] → [5,2]', () => new InterpolateResize({ name: 'rn', size: [5, 2], mode: 'nearest' }), [2, 3, 4, 2]],
];

describe('custom layers: analytic gradients equal central differences on the cpu backend', () => {
  it.each(cases)('%s', (_title, make, shape) => {
    const x = randomTensor(shape, shape.reduce((a, b) => a + b, 0));
    const layer = withRandomWeights(make(), x);
    const checks = checkLayerGradients(layer, x);
    // The input and every trainable weight are checked.
    expect(checks.map((c) => c.name)).toEqual(['input', ...layer.trainableWeights.map((w) => w.originalName)]);
    for (const check of checks) {
      expect(check.numericNorm, check.name).toBeGreaterThan(1e-3);
      expect(check.relativeError, check.name).toBeLessThan(TOLERANCE);
    }
    layer.dispose();
  });

  it('the check catches a wrong gradient: a layer whose custom gradient is off by 10% fails it', () => {
    // A deliberately wrong layer: forward x², backward 2.2·x.
    class WrongSquare extends tf.layers.Layer {
      static readonly className = 'WrongSquare';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        const square = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
          const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
          save([x]);
          return { value: tf.square(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.mul(saved[0], 2.2)) };
        });
        return square(Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      }
    }
    const [input] = checkLayerGradients(new WrongSquare({}), randomTensor([3, 4], 5));
    expect(input.relativeError).toBeGreaterThan(0.05);
  });
});
