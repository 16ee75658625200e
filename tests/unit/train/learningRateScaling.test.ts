import { describe, expect, it } from 'vitest';
import { scaleLearningRateForBatch } from '../../../main/train/learningRateScaling';

describe('scaleLearningRateForBatch', () => {
  it('scales SGD linearly with the batch (Goyal et al.): mobilenet_v2 0.045 at 256 → 0.0028125 at 16', () => {
    expect(scaleLearningRateForBatch(0.045, 'sgd', 256, 16)).toEqual({ learningRate: 0.0028125, rule: 'linear' });
    expect(scaleLearningRateForBatch(0.1, 'nesterov', 128, 32).learningRate).toBeCloseTo(0.025, 12);
  });

  it('scales adaptive optimisers by the square root of the batch ratio: 0.003 at 512 → 0.00075 at 32', () => {
    for (const optimizer of ['adam', 'adamw', 'rmsprop'] as const) {
      const scaled = scaleLearningRateForBatch(0.003, optimizer, 512, 32);
      expect(scaled.rule).toBe('square-root');
      expect(scaled.learningRate).toBeCloseTo(0.00075, 12); // √(32/512) = 1/4
    }
  });
});
