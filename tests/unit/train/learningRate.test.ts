import { describe, expect, it } from 'vitest';
import { ScheduleNameSchema, type ScheduleName } from '../../../main/core';
import { learningRateAt } from '../../../main/train/learningRate';

const at = (schedule: ScheduleName, step: number, total = 100, learningRate = 1) => learningRateAt({ schedule, learningRate }, step, total);

describe('learning-rate schedules, values worked out by hand', () => {
  it.each([
    ['constant', 0, 1],
    ['constant', 99, 1],
    ['step', 29, 1, 90],
    ['step', 30, 0.1, 90],
    ['step', 60, 0.01, 90],
    ['multistep', 49, 1],
    ['multistep', 50, 0.1],
    ['multistep', 75, 0.01],
    ['exponential', 0, 1],
    ['exponential', 50, 0.1],
    ['exponential', 100, 0.01],
    ['cosine', 0, 1],
    ['cosine', 50, 0.5],
    ['cosine', 100, 0],
    ['warmup-cosine', 0, 0.2],
    ['warmup-cosine', 4, 1],
    ['warmup-cosine', 5, 1],
    ['warmup-cosine', 100, 0],
    ['one-cycle', 0, 0.04],
    ['one-cycle', 15, 0.52],
    ['one-cycle', 30, 1],
    ['one-cycle', 100, 0.04 / 1e4],
  ] as [ScheduleName, number, number, number?][])('%s at step %i is %d', (schedule, step, expected, total = 100) => {
    expect(at(schedule, step, total)).toBeCloseTo(expected, 9);
  });

  it.each(ScheduleNameSchema.options)('%s scales with the base rate and never goes negative or above it (one-cycle’s peak is the base)', (schedule) => {
    for (let step = 0; step <= 200; step++) {
      const lr = at(schedule, step, 200, 0.3);
      expect(lr).toBeGreaterThanOrEqual(0);
      expect(lr).toBeLessThanOrEqual(0.3 + 1e-12);
      expect(lr).toBeCloseTo(0.3 * at(schedule, step, 200, 1), 12);
    }
  });
});
