import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCKS } from '../../../main/core';
import { LOSSES, PLANNED_LOSSES, binaryCrossEntropy, getLoss, meanSquaredError, resolveHeadLoss, sigmoidFocalLoss, smoothL1Loss } from '../../../main/train/losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const value = (t: tf.Tensor) => t.dataSync()[0];
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** Logits and 0/1 targets used throughout: a confident miss on a negative, an unsure and a wrong positive. */
const logits = () => tf.tensor1d([0, 2, -1]);
const targets = () => tf.tensor1d([1, 0, 1]);
/** −log σ(x) for the positives and −log(1 − σ(x)) for the negative, from the naive definition. */
const bcePerElement = [-Math.log(sigmoid(0)), -Math.log(1 - sigmoid(2)), -Math.log(sigmoid(-1))];

describe('binary cross-entropy from logits', () => {
  it('matches −[y·log σ(x) + (1 − y)·log(1 − σ(x))] element by element, and its mean and sum', () => {
    // ln 2 = 0.6931, 2 + ln(1 + e^−2) = 2.1269, ln(1 + e) = 1.3133
    expect(bcePerElement.map((v) => expect.closeTo(v, 12))).toEqual([Math.LN2, 2 + Math.log(1 + Math.exp(-2)), Math.log(1 + Math.E)]);
    expect(values(binaryCrossEntropy(tf, logits(), targets(), { reduction: 'none' }))).toEqual(bcePerElement.map((v) => expect.closeTo(v, 5)));
    expect(value(binaryCrossEntropy(tf, logits(), targets()))).toBeCloseTo((0.693147 + 2.126928 + 1.313262) / 3, 5);
    expect(value(binaryCrossEntropy(tf, logits(), targets(), { reduction: 'sum' }))).toBeCloseTo(0.693147 + 2.126928 + 1.313262, 5);
  });

  it('pos_weight multiplies only the positives’ terms (PyTorch: −[w·y·log σ(x) + (1 − y)·log(1 − σ(x))])', () => {
    expect(value(binaryCrossEntropy(tf, logits(), targets(), { posWeight: 3 }))).toBeCloseTo((3 * bcePerElement[0] + bcePerElement[1] + 3 * bcePerElement[2]) / 3, 5);
  });

  it('pos_weight per class broadcasts along the last axis', () => {
    // two samples × two classes; class 1's positives count double
    const x = tf.tensor2d([[0, 0], [0, 0]]);
    const y = tf.tensor2d([[1, 1], [0, 1]]);
    const loss = binaryCrossEntropy(tf, x, y, { posWeight: [1, 2], reduction: 'none' });
    expect(values(loss)).toEqual([1, 2, 1, 2].map((w) => expect.closeTo(w * Math.LN2, 5)));
  });

  it('stays finite for confident logits where log σ(x) would be −∞ in float32', () => {
    const loss = binaryCrossEntropy(tf, tf.tensor1d([100, -100]), tf.tensor1d([0, 1]), { reduction: 'none' });
    expect(values(loss)).toEqual([100, 100]);
  });

  it('has gradient (σ(x) − y)/N for the mean', () => {
    const g = tf.grad((x: tf.Tensor) => binaryCrossEntropy(tf, x, targets()))(logits());
    expect(values(g)).toEqual([sigmoid(0) - 1, sigmoid(2), sigmoid(-1) - 1].map((v) => expect.closeTo(v / 3, 6)));
  });

  it('rejects a target of another shape instead of broadcasting it', () => {
    expect(() => binaryCrossEntropy(tf, tf.zeros([2, 3]), tf.zeros([3]))).toThrow(/prediction \[2,3\] and target \[3\]/);
  });
});

describe('sigmoid focal loss (torchvision semantics)', () => {
  // p_t = σ(x) for positives, 1 − σ(x) for negatives; α_t = 0.25 for positives, 0.75 for negatives.
  const perElement = [
    0.25 * (1 - sigmoid(0)) ** 2 * bcePerElement[0],
    0.75 * sigmoid(2) ** 2 * bcePerElement[1],
    0.25 * (1 - sigmoid(-1)) ** 2 * bcePerElement[2],
  ];

  it('is α_t·(1 − p_t)^γ·BCE with α = 0.25 and γ = 2', () => {
    expect(perElement[0]).toBeCloseTo(0.25 * 0.25 * Math.LN2, 12);
    expect(values(sigmoidFocalLoss(tf, logits(), targets(), { reduction: 'none' }))).toEqual(perElement.map((v) => expect.closeTo(v, 5)));
    expect(value(sigmoidFocalLoss(tf, logits(), targets()))).toBeCloseTo((perElement[0] + perElement[1] + perElement[2]) / 3, 5);
    expect(value(sigmoidFocalLoss(tf, logits(), targets(), { reduction: 'sum' }))).toBeCloseTo(perElement[0] + perElement[1] + perElement[2], 5);
  });

  it('with γ = 0 and α < 0 (no weighting) it is plain BCE', () => {
    expect(values(sigmoidFocalLoss(tf, logits(), targets(), { alpha: -1, gamma: 0, reduction: 'none' }))).toEqual(bcePerElement.map((v) => expect.closeTo(v, 5)));
  });

  it('has the gradient central differences give', () => {
    const x0 = [0.3, -1.2, 2.5, 0];
    const y = tf.tensor1d([1, 0, 1, 0]);
    const f = (xs: number[]) => value(sigmoidFocalLoss(tf, tf.tensor1d(xs), y, { reduction: 'sum' }));
    const analytic = values(tf.grad((x: tf.Tensor) => sigmoidFocalLoss(tf, x, y, { reduction: 'sum' }))(tf.tensor1d(x0)));
    const h = 1e-2;
    const numeric = x0.map((_, i) => (f(x0.map((v, j) => (j === i ? v + h : v))) - f(x0.map((v, j) => (j === i ? v - h : v)))) / (2 * h));
    expect(analytic).toEqual(numeric.map((v) => expect.closeTo(v, 3)));
  });
});

describe('regression losses', () => {
  it('MSE: ((1−1)² + (2−0)² + (3−5)²)/3 = 8/3, and its sum 8', () => {
    const p = tf.tensor1d([1, 2, 3]);
    const t = tf.tensor1d([1, 0, 5]);
    expect(value(meanSquaredError(tf, p, t))).toBeCloseTo(8 / 3, 6);
    expect(value(meanSquaredError(tf, p, t, { reduction: 'sum' }))).toBeCloseTo(8, 6);
    expect(values(tf.grad((x: tf.Tensor) => meanSquaredError(tf, x, t))(p))).toEqual([0, 4 / 3, -4 / 3].map((v) => expect.closeTo(v, 6)));
  });

  it.each([
    // |d| = 0.5, 2, 3
    [1, [0.5 * 0.25, 2 - 0.5, 3 - 0.5]], // 0.5·d² below β = 1, |d| − 0.5 above
    [0.5, [0.5 - 0.25, 2 - 0.25, 3 - 0.25]], // |d| = 0.5 is not below β = 0.5: linear
    [4, [0.5 * 0.25 / 4, 0.5 * 4 / 4, 0.5 * 9 / 4]], // everything below β: 0.5·d²/β
    [0, [0.5, 2, 3]], // β = 0 is L1
  ])('smooth L1 with β = %d', (beta, expected) => {
    const p = tf.tensor1d([0.5, 2, -3]);
    const t = tf.zeros([3]);
    expect(values(smoothL1Loss(tf, p, t, { beta: beta as number, reduction: 'none' }))).toEqual((expected as number[]).map((v) => expect.closeTo(v, 6)));
    expect(value(smoothL1Loss(tf, p, t, { beta: beta as number }))).toBeCloseTo((expected as number[]).reduce((a, b) => a + b) / 3, 6);
  });

  it('smooth L1’s gradient is d/β inside and sign(d) outside', () => {
    const g = tf.grad((x: tf.Tensor) => smoothL1Loss(tf, x, tf.zeros([3]), { reduction: 'sum' }))(tf.tensor1d([0.5, 2, -3]));
    expect(values(g)).toEqual([0.5, 1, -1].map((v) => expect.closeTo(v, 6)));
  });
});

describe('loss registry', () => {
  /** Every loss name a head block can declare, read from the blocks' own param enums. */
  function declaredLossNames(): string[] {
    const names = new Set<string>();
    for (const block of BLOCKS.filter((b) => b.head)) {
      const shape = (block.params as unknown as { shape: Record<string, { unwrap?: () => { options?: string[] } }> }).shape;
      for (const key of ['loss', 'classLoss', 'boxLoss']) for (const name of shape[key]?.unwrap?.().options ?? []) names.add(name);
    }
    return [...names];
  }

  it('knows every loss name a head can declare, as implemented or as planned', () => {
    const names = declaredLossNames();
    expect(names).toEqual(expect.arrayContaining(['cross_entropy', 'focal', 'bce', 'smooth_l1', 'mse', 'dice_ce', 'triplet']));
    for (const name of names) expect(getLoss(name) !== undefined || PLANNED_LOSSES.includes(name), name).toBe(true);
    expect(LOSSES.map((l) => l.name).filter((n) => PLANNED_LOSSES.includes(n))).toEqual([]);
  });

  it('resolves a detection head’s `<class>+<box>` into its two parts, and reports every part it cannot serve', () => {
    const ok = resolveHeadLoss('focal+smooth_l1');
    expect(ok.ok && ok.losses.map((l) => l.name)).toEqual(['focal', 'smooth_l1']);
    const bad = resolveHeadLoss('bce+giou');
    expect(bad.ok ? [] : bad.errors.map((e) => [e.code, e.loss])).toEqual([['loss_not_implemented', 'giou']]);
    const unknown = resolveHeadLoss('hinge');
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.code)).toEqual(['unknown_loss']);
  });

  it('computes through the registry what the functions compute, options included', () => {
    const x = tf.tensor2d([[2, 0, -1], [0, 1, 0]]);
    const labels = tf.tensor1d([0, 1], 'int32');
    // log-softmax of [2,0,−1] at 0 and of [0,1,0] at 1
    const ce = (row: number[], k: number) => -(row[k] - Math.log(row.reduce((s, v) => s + Math.exp(v), 0)));
    const expectedCe = (ce([2, 0, -1], 0) + ce([0, 1, 0], 1)) / 2;
    expect(value(getLoss('cross_entropy')!.compute(tf, x, labels))).toBeCloseTo(expectedCe, 5);
    expect(value(getLoss('cross_entropy')!.compute(tf, x, labels, { reduction: 'sum' }))).toBeCloseTo(2 * expectedCe, 5);
    expect(value(getLoss('bce')!.compute(tf, logits(), targets(), { posWeight: 3 }))).toBeCloseTo(value(binaryCrossEntropy(tf, logits(), targets(), { posWeight: 3 })), 6);
    expect(value(getLoss('smooth_l1')!.compute(tf, tf.tensor1d([0.5]), tf.zeros([1]), { beta: 0.25 }))).toBeCloseTo(0.5 - 0.125, 6);
  });
});
