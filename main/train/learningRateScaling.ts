import type { OptimizerName } from '../core';

/**
 * The learning rate a recipe's rate becomes when its batch size changes (because the batch
 * was lowered to fit in memory). SGD follows the linear scaling rule (Goyal et al. 2017: the
 * rate in proportion to the batch); adaptive optimisers follow the square-root rule (Malladi
 * et al. 2022, "On the SDEs and scaling rules for adaptive gradient algorithms"), since their
 * steps are normalised by the gradient's scale.
 */
export function scaleLearningRateForBatch(learningRate: number, optimizer: OptimizerName, fromBatch: number, toBatch: number): { learningRate: number; rule: 'linear' | 'square-root' } {
  const ratio = toBatch / fromBatch;
  const linear = optimizer === 'sgd' || optimizer === 'nesterov';
  return linear ? { learningRate: learningRate * ratio, rule: 'linear' } : { learningRate: learningRate * Math.sqrt(ratio), rule: 'square-root' };
}
