import { describe, expect, it } from 'vitest';
import { LrRangeTestOptionsSchema, rangeTestLearningRate, recordRangeTestLoss, startRangeTest, suggestLearningRate, type LrRangeTestOptionsInput, type RangeTestState } from '../../../main/train/lrFinder';

function runRangeTest(input: LrRangeTestOptionsInput, lossAt: (lr: number) => number): RangeTestState {
  const options = LrRangeTestOptionsSchema.parse(input);
  let state = startRangeTest();
  while (!state.stopped) state = recordRangeTestLoss(options, state, lossAt(rangeTestLearningRate(options, state.points.length)));
  return state;
}

describe('learning-rate range test', () => {
  it('sweeps exponentially from minLr to maxLr: 1e-6, 1e-5 … 1 over 7 steps', () => {
    const options = { minLr: 1e-6, maxLr: 1, steps: 7 };
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => Math.log10(rangeTestLearningRate(options, i)))).toEqual([-6, -5, -4, -3, -2, -1, 0].map((x) => expect.closeTo(x, 12)));
    expect(LrRangeTestOptionsSchema.parse({})).toEqual({ minLr: 1e-7, maxLr: 10, steps: 100, beta: 0.98, divergeFactor: 4 });
    expect(LrRangeTestOptionsSchema.safeParse({ minLr: 1, maxLr: 0.1 }).success).toBe(false);
  });

  it('smooths with a bias-corrected EMA: losses 1, 2, 3 with β = 0.5 give 1, 5/3, 17/7', () => {
    // avg 0.5 → 0.5/(1 − 0.5) = 1; avg 0.25 + 1 = 1.25 → 1.25/0.75 = 5/3; avg 0.625 + 1.5 = 2.125 → 2.125/0.875 = 17/7
    const options = LrRangeTestOptionsSchema.parse({ beta: 0.5, steps: 10 });
    const state = [1, 2, 3].reduce((s, loss) => recordRangeTestLoss(options, s, loss), startRangeTest());
    expect(state.points.map((p) => p.smoothedLoss)).toEqual([1, 5 / 3, 17 / 7].map((x) => expect.closeTo(x, 12)));
    expect(state.stopped).toBe(false);
  });

  it('a constant loss stays constant after smoothing (the bias correction at work)', () => {
    const state = runRangeTest({ steps: 20 }, () => 0.7);
    expect(state.points.every((p) => Math.abs(p.smoothedLoss - 0.7) < 1e-12)).toBe(true);
    expect(state.reason).toBe('completed');
  });

  it('stops once the smoothed loss exceeds 4× its best, at that step', () => {
    const options = LrRangeTestOptionsSchema.parse({ beta: 0, steps: 10 });
    const state = [2, 1, 3, 4, 4.5, 1].reduce((s, loss) => recordRangeTestLoss(options, s, loss), startRangeTest());
    // best 1 after step 2; 3 and 4 are not above 4·1; 4.5 is
    expect(state.points.map((p) => p.loss)).toEqual([2, 1, 3, 4, 4.5]);
    expect(state.reason).toBe('diverged');
    expect(recordRangeTestLoss(options, startRangeTest(), NaN).reason).toBe('non_finite');
  });

  it('on a curve whose answer is known, suggests the start of its steepest stretch and a tenth of its minimum', () => {
    // loss(lr) = 2 − tanh(2·(log₁₀ lr + 3.05)) + 5·max(0, log₁₀ lr + 1)²: steepest at log₁₀ lr = −3.05, between the
    // grid points −3.1 and −3.0 (0.1-decade steps from 1e-6); lowest at −1.0; above −1 it climbs and passes
    // 4× its best at −0.2. Raw losses (β = 0), so the curve is the formula itself.
    const curve = (lr: number) => 2 - Math.tanh(2 * (Math.log10(lr) + 3.05)) + 5 * Math.max(0, Math.log10(lr) + 1) ** 2;
    const state = runRangeTest({ minLr: 1e-6, maxLr: 1, steps: 61, beta: 0 }, curve);
    expect(state.reason).toBe('diverged');
    expect(Math.log10(state.points.at(-1)!.learningRate)).toBeCloseTo(-0.2, 9);
    const suggestion = suggestLearningRate({ steps: 61 }, state.points)!;
    expect(Math.log10(suggestion.steepest)).toBeCloseTo(-3.1, 9);
    expect(Math.log10(suggestion.minimumOverTen)).toBeCloseTo(-2, 9);
  });

  it('leaves out the first tenth and the last five points, as fastai', () => {
    // The steepest drop (10 → 1) is in the first tenth of 20 steps and the lowest loss among the last five: neither counts.
    const losses = [10, 1, 0.95, 0.9, 0.7, 0.6, 0.55, 0.5, 0.45, 0.44, 0.43, 0.42, 0.41, 0.4, 0.3, 0.2, 0.1, 0.05];
    const options = LrRangeTestOptionsSchema.parse({ minLr: 1e-5, maxLr: 1e-3, steps: 20, beta: 0 });
    const state = losses.reduce((s, loss) => recordRangeTestLoss(options, s, loss), startRangeTest());
    const suggestion = suggestLearningRate(options, state.points)!;
    // kept: steps 2…12; steepest 0.9 → 0.7 starts at step 3; lowest 0.41 at step 12
    expect(suggestion.steepest).toBeCloseTo(rangeTestLearningRate(options, 3), 15);
    expect(suggestion.minimumOverTen).toBeCloseTo(rangeTestLearningRate(options, 12) / 10, 15);
    expect(suggestLearningRate(options, state.points.slice(0, 1))).toBeNull();
  });

  it('its state survives JSON', () => {
    const options = LrRangeTestOptionsSchema.parse({ steps: 5 });
    const half = [3, 2].reduce((s, l) => recordRangeTestLoss(options, s, l), startRangeTest());
    const resumed = [1.5, 1.2].reduce((s, l) => recordRangeTestLoss(options, s, l), JSON.parse(JSON.stringify(half)) as RangeTestState);
    const whole = [3, 2, 1.5, 1.2].reduce((s, l) => recordRangeTestLoss(options, s, l), startRangeTest());
    expect(resumed).toEqual(whole);
  });
});
