import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../../main/compile/gradients/tileGradient';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** d/dx Σ tile(x, reps) · w, summed by hand: each x element collects w at every copy of it. */
function byHand(shape: number[], reps: number[], w: number[]): number[] {
  const outShape = shape.map((s, i) => s * reps[i]);
  const grad = new Array(shape.reduce((a, b) => a * b, 1)).fill(0);
  const total = outShape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let source = 0;
    let stride = 1;
    const coords = outShape.map(() => 0);
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      coords[axis] = rest % outShape[axis];
      rest = Math.floor(rest / outShape[axis]);
    }
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      source += (coords[axis] % shape[axis]) * stride;
      stride *= shape[axis];
    }
    grad[source] += w[flat];
  }
  return grad;
}

describe('Tile gradient', () => {
  it.each([
    [[2, 2], [2, 3]],
    [[1, 1, 4], [3, 5, 1]], // LayerNorm's γ/β: [1,1,D] up to [B,N,D]
    [[3, 5, 1], [1, 1, 4]], // LayerNorm's statistics: [B,N,1] up to [B,N,D]
    [[2, 3], [1, 1]],
    [[2, 1, 3, 2], [2, 3, 1, 2]],
  ])('x %j tiled %j: each element collects the upstream gradient of all its copies', (shape, reps) => {
    const x = tf.randomNormal(shape);
    const outSize = shape.reduce((a, s, i) => a * s * reps[i], 1);
    const w = Array.from({ length: outSize }, (_, i) => ((i * 7) % 11) - 5);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, reps), tf.tensor(w, shape.map((s, i) => s * reps[i])))))(x);
    expect(grad.shape).toEqual(shape);
    expect(Array.from(grad.dataSync())).toEqual(byHand(shape, reps, w));
  });
});
