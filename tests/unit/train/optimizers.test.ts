import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../main/train/optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let problems = 0;
/** A 2×2 weight w and a bias b; loss = sum(w) + 2·sum(b), so every gradient of w is 1 and of b is 2. */
function problem() {
  const id = problems++;
  const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, `p${id}_w`);
  const b = tf.variable(tf.tensor1d([1, 1]), true, `p${id}_b`);
  const loss = () => w.sum().add(b.sum().mul(2)) as tf.Scalar;
  const dispose = () => [w, b].forEach((v) => v.dispose());
  return { w, b, loss, dispose };
}

const values = (v: tf.Variable) => Array.from(v.dataSync());
const near = (xs: number[], digits = 6) => xs.map((x) => expect.closeTo(x, digits));

describe('createOptimizer: one step, checked by hand', () => {
  it('SGD with L2 weight decay adds λ·w to the gradient of weights only (momentum starts at the gradient)', () => {
    const { w, b, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 0.1, weightDecay: 0.5 });
    opt.step(loss).dispose();
    // w ← w − 0.1·(1 + 0.5·w); b ← b − 0.1·2 (no decay on 1-D weights)
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x - 0.1 * (1 + 0.5 * x))));
    expect(values(b)).toEqual(near([0.8, 0.8]));
    dispose();
  });

  it('AdamW decays decoupled, before the Adam step as torch.optim.AdamW: w ← w·(1 − lr·λ) − lr·m̂/(√v̂ + ε)', () => {
    const { w, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'adamw', learningRate: 0.1, weightDecay: 0.5 });
    opt.step(loss).dispose();
    // Adam's first step moves every weight by lr·g/|g| = 0.1 (to within ε); the decay scales the old weight by 1 − 0.05.
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x * (1 - 0.1 * 0.5) - 0.1), 5));
    dispose();
  });

  it('clips the global gradient norm', () => {
    const { w, b, loss, dispose } = problem();
    // |g| = sqrt(4·1² + 2·2²) = sqrt(12); clipped to 1, each gradient is scaled by 1/sqrt(12)
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0, clipNorm: 1 });
    opt.step(loss).dispose();
    const scale = 1 / Math.sqrt(12);
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x - scale)));
    expect(values(b)).toEqual(near([1, 1].map((x) => x - 2 * scale)));
    dispose();
  });

  it('clips every gradient element by value: b’s gradient 2 becomes 1.5, w’s 1 stays', () => {
    const { w, b, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0, clipValue: 1.5 });
    opt.step(loss).dispose();
    expect(values(w)).toEqual(near([0, 1, 2, 3]));
    expect(values(b)).toEqual(near([-0.5, -0.5]));
    dispose();
  });

  it('clips by norm first, then by value (Keras’s order)', () => {
    const { w, b, loss, dispose } = problem();
    // norm sqrt(12) → 2 scales by 2/sqrt(12) = 0.57735: w’s gradient 0.57735, b’s 1.1547, which the value clip takes to 1.
    // (Value first would give 1 and 1, norm sqrt(6), scaled to 0.8165 each.)
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0, clipNorm: 2, clipValue: 1 });
    opt.step(loss).dispose();
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x - 2 / Math.sqrt(12))));
    expect(values(b)).toEqual(near([0, 0]));
    dispose();
  });

  it('adds L2 decay after clipping, as PyTorch’s weight_decay sits inside step() after clip_grad_norm_', () => {
    const { w, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0.5, clipNorm: 1 });
    opt.step(loss).dispose();
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x - (1 / Math.sqrt(12) + 0.5 * x))));
    dispose();
  });

  it('follows the learning rate it is given, for every optimiser, without leaking tensors', () => {
    for (const optimizer of ['sgd', 'nesterov', 'adam', 'adamw', 'rmsprop'] as const) {
      const { w, b, loss, dispose } = problem();
      const opt = createOptimizer(tf, { optimizer, learningRate: 1, weightDecay: 0 }, { lrMultipliers: { [b.name]: 0.5 } });
      opt.setLearningRate(0);
      opt.step(loss).dispose(); // the first step creates the optimiser's slots
      const before = tf.memory().numTensors;
      opt.step(loss).dispose();
      opt.step(loss).dispose();
      expect(values(w), optimizer).toEqual([1, 2, 3, 4]);
      expect(values(b), optimizer).toEqual([1, 1]);
      expect(tf.memory().numTensors, optimizer).toBe(before);
      opt.dispose();
      dispose();
    }
  });
});

describe('createOptimizer: learning-rate multipliers as parameter groups', () => {
  it('SGD with momentum: b at multiplier 0.1 moves a tenth as far, step after step', () => {
    const { w, b, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'sgd', learningRate: 0.1, weightDecay: 0 }, { lrMultipliers: { [b.name]: 0.1 } });
    opt.step(loss).dispose();
    // step 1: velocity = g; w −= 0.1·1, b −= 0.01·2
    expect(values(w)).toEqual(near([0.9, 1.9, 2.9, 3.9]));
    expect(values(b)).toEqual(near([0.98, 0.98]));
    opt.step(loss).dispose();
    // step 2: velocity = 0.9·g + g = 1.9·g; w −= 0.1·1.9, b −= 0.01·1.9·2
    expect(values(w)).toEqual(near([0.71, 1.71, 2.71, 3.71]));
    expect(values(b)).toEqual(near([0.942, 0.942]));
    expect([...opt.groups().keys()].sort()).toEqual([0.1, 1]);
    dispose();
  });

  it('Adam: each group runs at lr·m although Adam ignores the gradients’ scale (b’s gradient is twice w’s)', () => {
    const { w, b, dispose } = problem();
    let scale = 1;
    // gradients 1 then 3 for w, 2 then 6 for b
    const loss = () => w.sum().add(b.sum().mul(2)).mul(scale) as tf.Scalar;
    const opt = createOptimizer(tf, { optimizer: 'adam', learningRate: 0.1, weightDecay: 0 }, { lrMultipliers: (v) => (v.name === b.name ? 0.1 : 1) });
    opt.step(loss).dispose();
    scale = 3;
    opt.step(loss).dispose();
    // step 1: m̂ = g, v̂ = g², move lr·1. step 2 (g1 = 1, g2 = 3 for w):
    // m = 0.9·0.1 + 0.1·3 = 0.39, m̂ = 0.39/(1 − 0.81) = 2.052632;
    // v = 0.999·0.001 + 0.001·9 = 0.009999, v̂ = 0.009999/(1 − 0.998001) = 5.002001; move lr·2.052632/√5.002001 = lr·0.917763.
    // b’s gradients are twice w’s, and Adam’s step does not depend on that scale.
    const moved = 1 + 0.917763;
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x - 0.1 * moved), 5));
    expect(values(b)).toEqual(near([1, 1].map((x) => x - 0.01 * moved), 5));
    dispose();
  });

  it('setLearningRate sets every group to lr·m', () => {
    const { w, b, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'adam', learningRate: 0.1, weightDecay: 0 }, { lrMultipliers: { [b.name]: 0.1 } });
    opt.setLearningRate(0.5);
    opt.step(loss).dispose();
    expect(values(w)).toEqual(near([0.5, 1.5, 2.5, 3.5], 5));
    expect(values(b)).toEqual(near([0.95, 0.95], 5));
    dispose();
  });

  it('multiplier 0 freezes: no update, no decoupled decay, and no gradient computed', () => {
    const { w, b, loss, dispose } = problem();
    const opt = createOptimizer(tf, { optimizer: 'adamw', learningRate: 0.1, weightDecay: 0.5 }, { lrMultipliers: { [w.name]: 0 } });
    opt.step(loss).dispose();
    expect(values(w)).toEqual([1, 2, 3, 4]);
    expect(values(b)).toEqual(near([0.9, 0.9], 5));
    expect([...opt.groups().keys()]).toEqual([1]);
    // Through Less, which has no gradient in TF.js, w would make the step throw if its gradient were asked for.
    opt.step(() => loss().add(w.less(3).toFloat().sum()) as tf.Scalar).dispose();
    expect(values(w)).toEqual([1, 2, 3, 4]);
    const unfrozen = createOptimizer(tf, { optimizer: 'sgd', learningRate: 0.1, weightDecay: 0 });
    expect(() => unfrozen.step(() => loss().add(w.less(3).toFloat().sum()) as tf.Scalar)).toThrow(/gradient function not found for Less/);
    dispose();
  });

  it('AdamW’s decoupled decay uses the group’s rate lr·m', () => {
    const { w, loss, dispose } = problem();
    const v = tf.variable(tf.tensor2d([[10]]), true, `p${problems++}_v`);
    const opt = createOptimizer(tf, { optimizer: 'adamw', learningRate: 0.1, weightDecay: 0.5 }, { lrMultipliers: { [v.name]: 0.1 } });
    opt.step(() => loss().add(v.sum()) as tf.Scalar).dispose();
    expect(values(w)).toEqual(near([1, 2, 3, 4].map((x) => x * (1 - 0.05) - 0.1), 5));
    expect(values(v)).toEqual(near([10 * (1 - 0.005) - 0.01], 5));
    v.dispose();
    dispose();
  });

  it('rejects a negative or non-finite multiplier, naming the variable', () => {
    const { b, dispose } = problem();
    expect(() => createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0 }, { lrMultipliers: { [b.name]: -1 } })).toThrow(new RegExp(`"${b.name}"`));
    expect(() => createOptimizer(tf, { optimizer: 'sgd', learningRate: 1, weightDecay: 0, clipValue: 0 })).toThrow(/clipValue/);
    dispose();
  });
});
