/**
 * Gradients of the element-wise, activation, reduction, resize and shape ops
 * the blocks use, on wasm (our kernels registered) against cpu: each op's
 * tf.grad on random inputs of both signs, weighted by a random upstream
 * gradient so every output element counts differently. The cpu side uses
 * cpuReference.ts's resize gradients (cpu's own are wrong for batches > 1 /
 * non-square images). Not here because tfjs-core itself gets them wrong on
 * every backend: cumsum's gradient along a non-last axis (wrong shape) and
 * stridedSlice's (none registered).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { withCpuReferenceKernels } from './cpuReference';
import { expectClose, runOn } from './testUtils';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

type Op = (x: tf.Tensor) => tf.Tensor;
const shape = [2, 5, 6, 3];

const ops: Record<string, Op> = {
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x.mul(8)),
  leakyRelu: (x) => tf.leakyRelu(x, 0.1),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  prelu: (x) => tf.prelu(x, tf.fill([3], 0.25)),
  sigmoid: (x) => tf.sigmoid(x.mul(3)),
  tanh: (x) => tf.tanh(x.mul(2)),
  softplus: (x) => tf.softplus(x.mul(3)),
  'silu (x·sigmoid)': (x) => x.mul(tf.sigmoid(x)),
  'hard swish (x·relu6(x+3)/6)': (x) => x.mul(tf.relu6(x.mul(4).add(3))).div(6),
  'gelu (erf)': (x) => x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1)),
  'mish (x·tanh(softplus))': (x) => x.mul(tf.tanh(tf.softplus(x))),
  exp: (x) => tf.exp(x),
  'log (|x|+0.5)': (x) => tf.log(x.abs().add(0.5)),
  'sqrt (|x|+0.1)': (x) => tf.sqrt(x.abs().add(0.1)),
  'rsqrt (x²+0.1)': (x) => tf.rsqrt(x.square().add(0.1)),
  'pow 3': (x) => tf.pow(x, tf.scalar(3)),
  clipByValue: (x) => tf.clipByValue(x, -0.4, 0.6),
  'maximum/minimum': (x) => tf.maximum(x, 0.2).add(tf.minimum(x, -0.3)),
  softmax: (x) => tf.softmax(x.mul(3)),
  logSoftmax: (x) => tf.logSoftmax(x.mul(3)),
  'sum axis 3': (x) => tf.sum(x, 3),
  'mean axes 1,2': (x) => tf.mean(x, [1, 2]),
  'max axis 2': (x) => tf.max(x, 2),
  'min axes 0,1': (x) => tf.min(x, [0, 1]),
  'prod axis 3': (x) => tf.prod(x.add(1.5), 3),
  'moments (variance)': (x) => tf.moments(x, [0, 1, 2]).variance,
  'cumsum axis 3': (x) => tf.cumsum(x, 3),
  'resizeBilinear 2× (10x12)': (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [10, 12]),
  'resizeBilinear 2× alignCorners': (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [10, 12], true),
  'resizeBilinear 2× halfPixelCenters': (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [10, 12], false, true),
  'resizeBilinear to 7x9': (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [7, 9], false, true),
  'resizeNearestNeighbor 2×': (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [10, 12]),
  transpose: (x) => tf.transpose(x, [0, 3, 1, 2]),
  'pad + slice': (x) => tf.slice(tf.pad(x, [[0, 0], [1, 2], [2, 1], [0, 0]]), [0, 1, 0, 1], [2, 6, 7, 2]),
  'concat + split': (x) => tf.concat(tf.split(x, [1, 2], 3).reverse(), 3),
  'tile (real)': (x) => tf.tile(x, [1, 2, 1, 2]),
  'gather axis 1': (x) => tf.gather(x, tf.tensor1d([4, 0, 0, 2], 'int32'), 1),
  'slice + squeeze (token)': (x) => tf.squeeze(tf.slice(x, [0, 0, 0, 0], [2, 1, 6, 3]), [1]),
  'batchNorm (layers math)': (x) => tf.batchNorm(x, tf.mean(x, [0, 1, 2]), tf.moments(x, [0, 1, 2]).variance, tf.fill([3], 0.5), tf.fill([3], 1.5), 1e-3),
  'avgPool 3×3 s1 same': (x) => tf.avgPool(x as tf.Tensor4D, 3, 1, 'same'),
  'where (select)': (x) => tf.where(tf.tensor1d([true, false, true], 'bool'), x.mul(2), x.mul(-3)),
};

describe('op gradients on wasm match cpu', () => {
  it.each(Object.entries(ops))('%s', async (_name, op) => {
    const specs = { x: { shape, seed: 81 } };
    const run = (t: Record<string, tf.Tensor>) => {
      const outShape = op(t.x).shape;
      const weights = tf.randomUniform(outShape, -1, 1, 'float32', 82);
      return tf.grad((x: tf.Tensor) => op(x).mul(weights).sum())(t.x);
    };
    expectClose(await runOn('wasm', specs, run), await withCpuReferenceKernels(() => runOn('cpu', specs, run)));
  });
});
