import type * as TF from '@tensorflow/tfjs';
import type { HyperParams } from './protocol';

/** An optimiser whose learning rate the schedule sets before every step. */
export interface ScheduledOptimizer {
  optimizer: TF.Optimizer;
  setLearningRate(lr: number): void;
}

export function createOptimizer(tf: typeof TF, h: Pick<HyperParams, 'optimizer' | 'learningRate'>): ScheduledOptimizer {
  if (h.optimizer === 'sgd') {
    const optimizer = tf.train.momentum(h.learningRate, 0.9);
    return { optimizer, setLearningRate: (lr) => optimizer.setLearningRate(lr) };
  }
  const optimizer = tf.train.adam(h.learningRate);
  // AdamOptimizer reads its public `learningRate` field on every step.
  return { optimizer, setLearningRate: (lr) => void ((optimizer as unknown as { learningRate: number }).learningRate = lr) };
}
