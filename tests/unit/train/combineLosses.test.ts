import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLossCombiner } from '../../../main/train/losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const heads = [
  { node: 'cls', lossWeight: 1 },
  { node: 'seg', lossWeight: 0.5 },
];
const losses = () => ({ cls: tf.scalar(2), seg: tf.scalar(0.5) });

describe('createLossCombiner', () => {
  it('fixed: Σ wᵢ·Lᵢ with the heads’ loss weights (2·1 + 0.5·0.5 = 2.25), and nothing to learn', () => {
    const combiner = createLossCombiner(tf, heads);
    expect(combiner.combine(losses()).dataSync()[0]).toBeCloseTo(2.25, 6);
    expect(combiner.variables).toEqual([]);
    expect(combiner.weights()).toEqual({ cls: 1, seg: 0.5 });
    expect(combiner.state()).toEqual({ weighting: 'fixed', logVariances: {} });
  });

  it('uncertainty: Σ exp(−sᵢ)·Lᵢ + sᵢ; at s = 0 the total is 2.5 and one SGD step moves sᵢ by −lr·(1 − Lᵢ)', () => {
    const combiner = createLossCombiner(tf, heads, 'uncertainty');
    expect(combiner.combine(losses()).dataSync()[0]).toBeCloseTo(2.5, 6);
    // ∂/∂sᵢ = −exp(−sᵢ)·Lᵢ + 1: −1 for cls, +0.5 for seg; plain SGD with lr 0.1
    const sgd = tf.train.sgd(0.1);
    sgd.minimize(() => combiner.combine(losses()), false, [...combiner.variables]);
    expect(combiner.logVariances()).toEqual({ cls: expect.closeTo(0.1, 6), seg: expect.closeTo(-0.05, 6) });
    expect(combiner.weights()).toEqual({ cls: expect.closeTo(Math.exp(-0.1), 6), seg: expect.closeTo(Math.exp(0.05), 6) });
    combiner.dispose();
  });

  it('uncertainty weighting settles where exp(−sᵢ)·Lᵢ = 1, i.e. sᵢ = log Lᵢ', () => {
    const combiner = createLossCombiner(tf, heads, 'uncertainty');
    const sgd = tf.train.sgd(0.2);
    for (let i = 0; i < 300; i++) sgd.minimize(() => combiner.combine(losses()), false, [...combiner.variables]);
    expect(combiner.logVariances()).toEqual({ cls: expect.closeTo(Math.log(2), 4), seg: expect.closeTo(Math.log(0.5), 4) });
    combiner.dispose();
  });

  it('round-trips its state through JSON, so a resumed run continues with the learned sᵢ', () => {
    const first = createLossCombiner(tf, heads, 'uncertainty', 0.3);
    const saved = JSON.parse(JSON.stringify(first.state()));
    first.dispose();
    const second = createLossCombiner(tf, heads, 'uncertainty');
    second.restore(saved);
    expect(second.logVariances()).toEqual({ cls: expect.closeTo(0.3, 6), seg: expect.closeTo(0.3, 6) });
    expect(() => second.restore({ weighting: 'fixed', logVariances: {} })).toThrow(/fixed weighting/);
    expect(() => second.restore({ weighting: 'uncertainty', logVariances: { cls: 0 } })).toThrow(/head "seg"/);
    second.dispose();
  });

  it('takes exactly one loss per head', () => {
    const combiner = createLossCombiner(tf, heads);
    expect(() => combiner.combine({ cls: tf.scalar(1) })).toThrow(/missing: seg/);
    expect(() => combiner.combine({ ...losses(), det: tf.scalar(1) })).toThrow(/unknown: det/);
    expect(() => createLossCombiner(tf, [heads[0], heads[0]])).toThrow(/unique/);
  });
});
