import type * as TF from '@tensorflow/tfjs';
import type { HyperParams } from './protocol';

/**
 * One optimisation step at a time: gradients, optional clipping by global norm, the update, and
 * weight decay — decoupled for AdamW (w ← w − lr·λ·w after the step, as Loshchilov & Hutter), as
 * an L2 term in the gradient for the others (PyTorch's `weight_decay`). Decay skips 1-D weights
 * (biases and normalisation scales/shifts), as is usual.
 */
export interface TrainingOptimizer {
  /** Runs one step on `loss` and returns the loss value (kept; the caller disposes it). */
  step(loss: () => TF.Scalar): TF.Scalar;
  setLearningRate(lr: number): void;
  dispose(): void;
  /** The TF.js optimizer underneath, whose state (iterations, moments) checkpoints save and restore. */
  readonly tfOptimizer: TF.Optimizer;
}

type OptimizerHyperParams = Pick<HyperParams, 'optimizer' | 'learningRate' | 'weightDecay' | 'clipNorm'>;

function baseOptimizer(tf: typeof TF, h: OptimizerHyperParams): TF.Optimizer {
  switch (h.optimizer) {
    case 'sgd':
      return tf.train.momentum(h.learningRate, 0.9);
    case 'nesterov':
      return tf.train.momentum(h.learningRate, 0.9, true);
    case 'rmsprop':
      return tf.train.rmsprop(h.learningRate, 0.9, 0, 1e-8);
    case 'adam':
    case 'adamw':
      return tf.train.adam(h.learningRate, 0.9, 0.999, 1e-8);
  }
}

const decays = (v: TF.Variable) => v.shape.length >= 2;

export function createOptimizer(tf: typeof TF, h: OptimizerHyperParams): TrainingOptimizer {
  const optimizer = baseOptimizer(tf, h);
  let learningRate = h.learningRate;
  const decoupled = h.optimizer === 'adamw';
  return {
    step(loss) {
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss);
        const variables = tf.engine().registeredVariables;
        if (h.weightDecay > 0 && !decoupled) {
          for (const name of Object.keys(grads)) if (decays(variables[name])) grads[name] = grads[name].add(variables[name].mul(h.weightDecay));
        }
        if (h.clipNorm !== undefined) {
          const norm = Math.sqrt(Object.values(grads).reduce((sum, g) => sum + g.square().sum().dataSync()[0], 0));
          if (norm > h.clipNorm) for (const name of Object.keys(grads)) grads[name] = grads[name].mul(h.clipNorm / norm);
        }
        optimizer.applyGradients(grads);
        if (h.weightDecay > 0 && decoupled) {
          for (const name of Object.keys(grads)) if (decays(variables[name])) variables[name].assign(variables[name].mul(1 - learningRate * h.weightDecay));
        }
        return tf.keep(value);
      });
    },
    setLearningRate(lr) {
      learningRate = lr;
      // Momentum has a setter; Adam and RMSprop read their public `learningRate` field every step.
      if ('setLearningRate' in optimizer) (optimizer as TF.MomentumOptimizer).setLearningRate(lr);
      else (optimizer as unknown as { learningRate: number }).learningRate = lr;
    },
    dispose: () => optimizer.dispose(),
    tfOptimizer: optimizer,
  };
}
