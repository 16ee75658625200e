import { describe, expect, it } from 'vitest';
import { PlateauOptionsSchema, createPlateauController, improvesOn, startPlateau, stepPlateau, type PlateauOptionsInput } from '../../../main/train/plateau';

/** Runs a controller over metrics and returns the rate after each epoch. */
function rates(options: PlateauOptionsInput, metrics: number[], lr = 1): number[] {
  const controller = createPlateauController(options, lr);
  return metrics.map((m) => controller.step(m).learningRate);
}

describe('reduce on plateau (PyTorch ReduceLROnPlateau)', () => {
  it('has PyTorch’s defaults', () => {
    expect(PlateauOptionsSchema.parse({})).toEqual({ mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8 });
  });

  it('min mode, patience 2, cooldown 1, relative threshold 0.1: a sequence worked by hand', () => {
    // epoch: metric → is it below best·0.9? bad epochs; what happens
    //  1: 10   → first value, best 10
    //  2: 9.5  → no (9.5 ≥ 9), bad 1
    //  3: 9.2  → no, bad 2 (not > patience yet)
    //  4: 9.1  → no, bad 3 > 2: lr 1 → 0.5, cooldown 1, bad 0
    //  5: 9.0  → no (not strictly below 9), bad 1, but in cooldown: cooldown 0, bad 0
    //  6: 8    → yes, best 8
    //  7–8: 8  → bad 1, 2
    //  9: 8    → bad 3: lr 0.5 → 0.25, cooldown 1
    // 10: 8    → bad 1 wiped by the cooldown
    // 11–12: 8 → bad 1, 2; 13: bad 3 → 0.125
    const options = { factor: 0.5, patience: 2, cooldown: 1, threshold: 0.1 };
    const metrics = [10, 9.5, 9.2, 9.1, 9.0, 8, 8, 8, 8, 8, 8, 8, 8];
    expect(rates(options, metrics)).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125]);
  });

  it('max mode with an absolute threshold: an improvement must beat best + threshold', () => {
    // best 0.5; 0.55 is not > 0.5 + 0.1 (bad 1); 0.6 is not > 0.6 (bad 2 > 1: 0.1 → 0.01); 0.61 > 0.6 (best 0.61);
    // 0.7 is not > 0.71 (bad 1); 0.65 neither (bad 2: 0.01 → 0.001)
    const options = { mode: 'max' as const, thresholdMode: 'abs' as const, threshold: 0.1, patience: 1 };
    expect(rates(options, [0.5, 0.55, 0.6, 0.61, 0.7, 0.65], 0.1)).toEqual([0.1, 0.1, 0.01, 0.01, 0.01, 0.001].map((x) => expect.closeTo(x, 12)));
  });

  it('never goes below minLr, and stops counting reductions once there (PyTorch’s eps)', () => {
    const controller = createPlateauController({ patience: 0, factor: 0.1, minLr: 0.005 }, 0.1);
    const seen = [1, 1, 1, 1].map((m) => controller.step(m));
    // epoch 1 sets the best; epoch 2: 0.1 → 0.01; epoch 3: 0.01 → max(0.001, 0.005); epoch 4: already at the floor
    expect(seen.map((s) => s.learningRate)).toEqual([0.1, 0.01, 0.005, 0.005].map((x) => expect.closeTo(x, 12)));
    expect(seen.map((s) => s.reduced)).toEqual([false, true, true, false]);
    expect(controller.state().reductions).toBe(2);
  });

  it('counts a NaN epoch as bad, as PyTorch’s comparisons do', () => {
    expect(improvesOn({ mode: 'min', threshold: 1e-4, thresholdMode: 'rel' }, NaN, 1)).toBe(false);
    expect(rates({ patience: 1 }, [1, NaN, NaN])).toEqual([1, 1, 0.1]);
  });

  it('the default relative threshold 1e-4: 0.99995 is not an improvement on 1, 0.9998 is', () => {
    const options = PlateauOptionsSchema.parse({});
    expect(improvesOn(options, 0.99995, 1)).toBe(false);
    expect(improvesOn(options, 0.9998, 1)).toBe(true);
  });

  it('resumes from its JSON state exactly where an uninterrupted run would be', () => {
    const options = { factor: 0.5, patience: 2, cooldown: 1, threshold: 0.1 };
    const metrics = [10, 9.5, 9.2, 9.1, 9.0, 8, 8, 8, 8, 8];
    const whole = rates(options, metrics);
    const first = createPlateauController(options, 1);
    const before = metrics.slice(0, 4).map((m) => first.step(m).learningRate);
    const saved = JSON.parse(JSON.stringify(first.state()));
    const resumed = createPlateauController(options, 1, saved);
    const after = metrics.slice(4).map((m) => resumed.step(m).learningRate);
    expect([...before, ...after]).toEqual(whole);
  });

  it('the reducer is pure: the state it is given does not change', () => {
    const state = startPlateau(1);
    const frozen = JSON.stringify(state);
    stepPlateau(PlateauOptionsSchema.parse({ patience: 0 }), state, 3);
    expect(JSON.stringify(state)).toBe(frozen);
  });
});
