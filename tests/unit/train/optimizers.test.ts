import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../main/train/optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 2×2 weight w and a bias b; loss = sum(w) + 2·sum(b), so every gradient of w is 1 and of b is 2. */
function problem() {
  const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
  const b = tf.variable(tf.tensor1d([1, 1]));
  const loss = () => w.sum().add(b.sum().mul(2)) as tf.Scalar;
  return { w, b, loss };
}

const values = (v: tf.Variable) => Array.from(v.dataSync());

describe('createOptimizer: one step, checked by hand', () => {
  it('SGD with L2 weight decay adds λ·w to the gradient of weights only (momentum starts at the gradient)', () => {
    const { w, b, loss } = problem();
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 0.1, weightDecay: 0.5 });
    opt.step(loss).dispose();
    // w ← w − 0.1·(1 + 0.5·w); b ← b − 0.1·2 (no decay on 1-D weights)
    expect(values(w)).toEqual([1, 2, 3, 4].map((x) => x - 0.1 * (1 + 0.5 * x)).map((x) => expect.closeTo(x, 6)));
    expect(values(b)).toEqual([0.8, 0.8].map((x) => expect.closeTo(x, 6)));
  });

  it('AdamW decays decoupled: after the Adam step, w ← w − lr·λ·w', () => {
    const { w, loss } = problem();
    const opt = createOptimizer(tf, { optimizer: 'adamw', learningRate: 0.1, weightDecay: 0.5 });
    opt.step(loss).dispose();
    // Adam's first step moves every weight by lr·g/|g| = 0.1 (to within ε), then the decay scales by 1 − 0.05.
    expect(values(w)).toEqual([1, 2, 3, 4].map((x) => (x - 0.1) * (1 - 0.1 * 0.5)).map((x) => expect.closeTo(x, 5)));
  });

  it('clips the global gradient norm', () => {
    const { w, b, loss } = problem();
    // |g| = sqrt(4·1² + 2·2²) = sqrt(12); clipped to 1, each gradient is scaled by 1/sqrt(12)
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0, clipNorm: 1 });
    opt.step(loss).dispose();
    const scale = 1 / Math.sqrt(12);
    expect(values(w)).toEqual([1, 2, 3, 4].map((x) => expect.closeTo(x - scale, 6)));
    expect(values(b)).toEqual([1, 1].map((x) => expect.closeTo(x - 2 * scale, 6)));
  });

  it('follows the learning rate it is given, for every optimiser, without leaking tensors', () => {
    for (const optimizer of ['sgd', 'nesterov', 'adam', 'adamw', 'rmsprop'] as const) {
      const { w, loss } = problem();
      const opt = createOptimizer(tf, { optimizer, learningRate: 1, weightDecay: 0 });
      opt.setLearningRate(0);
      opt.step(loss).dispose(); // the first step creates the optimiser's slots
      const before = tf.memory().numTensors;
      opt.step(loss).dispose();
      opt.step(loss).dispose();
      expect(values(w), optimizer).toEqual([1, 2, 3, 4]);
      expect(tf.memory().numTensors, optimizer).toBe(before);
      opt.dispose();
    }
  });
});
