import type * as TF from '@tensorflow/tfjs';
import type { HyperParams } from './protocol';

/**
 * One optimisation step at a time, in PyTorch's order: gradients; clipping (by global norm, then
 * by value, as Keras applies `clipnorm` and `clipvalue`); weight decay — decoupled for AdamW
 * (w ← w·(1 − lr·λ) before the Adam update, as torch.optim.AdamW and Loshchilov & Hutter), an L2
 * term added to the clipped gradient for the others (PyTorch's `weight_decay`); the update.
 * Decay skips 1-D weights (biases and normalisation scales/shifts), as is usual.
 *
 * Per-variable learning-rate multipliers (discriminative fine-tuning: a pretrained backbone at a
 * tenth of the head's rate) are parameter groups. Scaling a group's gradients instead would be
 * wrong: Adam and RMSprop divide by the gradient's running magnitude, so their steps do not change
 * when gradients are scaled. Each distinct multiplier m gets its own TF.js optimizer running at
 * lr·m; m = 0 freezes a variable (no gradient is even computed for it).
 */
export interface TrainingOptimizer {
  /** Runs one step on `loss` and returns the loss value (kept; the caller disposes it). */
  step(loss: () => TF.Scalar): TF.Scalar;
  /** Sets the base rate: every group runs at lr·m. */
  setLearningRate(lr: number): void;
  dispose(): void;
  /**
   * The TF.js optimizer of the multiplier-1 group (the only one without multipliers), whose state
   * (iterations, moments) checkpoints save and restore.
   */
  readonly tfOptimizer: TF.Optimizer;
  /**
   * Every group's TF.js optimizer by multiplier, the multiplier-1 group included. A checkpoint of
   * a run with multipliers must save and restore each of them; groups exist from creation for
   * every multiplier of the variables registered then.
   */
  groups(): ReadonlyMap<number, TF.Optimizer>;
}

/**
 * Learning-rate multipliers by TF.js variable name (names not listed get 1), or a function of the
 * variable. See `nodeLrMultipliers` in ./variableNodes for multipliers given per graph node.
 */
export type LrMultipliers = Readonly<Record<string, number>> | ((variable: TF.Variable) => number);

export type OptimizerHyperParams = Pick<HyperParams, 'optimizer' | 'learningRate' | 'weightDecay' | 'clipNorm'> & {
  /** Clip every gradient element to [−clipValue, clipValue]. */
  clipValue?: number;
};

export interface OptimizerOptions {
  lrMultipliers?: LrMultipliers;
}

function baseOptimizer(tf: typeof TF, name: OptimizerHyperParams['optimizer'], learningRate: number): TF.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.momentum(learningRate, 0.9);
    case 'nesterov':
      return tf.train.momentum(learningRate, 0.9, true);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-8);
    case 'adam':
    case 'adamw':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  }
}

function setOptimizerRate(optimizer: TF.Optimizer, lr: number): void {
  // Momentum has a setter; Adam and RMSprop read their public `learningRate` field every step.
  if ('setLearningRate' in optimizer) (optimizer as TF.MomentumOptimizer).setLearningRate(lr);
  else (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

const decays = (v: TF.Variable) => v.shape.length >= 2;

export function createOptimizer(tf: typeof TF, h: OptimizerHyperParams, options: OptimizerOptions = {}): TrainingOptimizer {
  if (h.clipValue !== undefined && !(h.clipValue > 0)) throw new Error(`clipValue must be positive, got ${h.clipValue}`);
  let learningRate = h.learningRate;
  const decoupled = h.optimizer === 'adamw';
  const groups = new Map<number, TF.Optimizer>();
  const groupOf = (m: number) => {
    let optimizer = groups.get(m);
    if (!optimizer) groups.set(m, (optimizer = baseOptimizer(tf, h.optimizer, learningRate * m)));
    return optimizer;
  };
  const multipliers = new Map<string, number>();
  const multiplierOf = (v: TF.Variable): number => {
    let m = multipliers.get(v.name);
    if (m === undefined) {
      const given = options.lrMultipliers;
      m = given === undefined ? 1 : typeof given === 'function' ? given(v) : (given[v.name] ?? 1);
      if (!Number.isFinite(m) || m < 0) throw new Error(`Learning-rate multiplier of "${v.name}" must be a finite number ≥ 0, got ${m}`);
      multipliers.set(v.name, m);
    }
    return m;
  };
  const trainableVariables = () => Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);
  const tfOptimizer = groupOf(1);
  for (const v of trainableVariables()) if (multiplierOf(v) > 0) groupOf(multiplierOf(v));

  return {
    step(loss) {
      return tf.tidy(() => {
        const variables = tf.engine().registeredVariables;
        const { value, grads } = tf.variableGrads(loss, trainableVariables().filter((v) => multiplierOf(v) > 0));
        const names = Object.keys(grads);
        if (h.clipNorm !== undefined) {
          const norm = Math.sqrt(names.reduce((sum, name) => sum + grads[name].square().sum().dataSync()[0], 0));
          if (norm > h.clipNorm) for (const name of names) grads[name] = grads[name].mul(h.clipNorm / norm);
        }
        if (h.clipValue !== undefined) for (const name of names) grads[name] = grads[name].clipByValue(-h.clipValue, h.clipValue);
        if (h.weightDecay > 0 && !decoupled) {
          for (const name of names) if (decays(variables[name])) grads[name] = grads[name].add(variables[name].mul(h.weightDecay));
        }
        const byGroup = new Map<number, TF.NamedTensorMap>();
        for (const name of names) {
          const m = multiplierOf(variables[name]);
          if (!byGroup.has(m)) byGroup.set(m, {});
          byGroup.get(m)![name] = grads[name];
        }
        for (const [m, groupGrads] of byGroup) {
          if (h.weightDecay > 0 && decoupled) {
            for (const name of Object.keys(groupGrads)) if (decays(variables[name])) variables[name].assign(variables[name].mul(1 - learningRate * m * h.weightDecay));
          }
          groupOf(m).applyGradients(groupGrads);
        }
        return tf.keep(value);
      });
    },
    setLearningRate(lr) {
      learningRate = lr;
      for (const [m, optimizer] of groups) setOptimizerRate(optimizer, lr * m);
    },
    dispose() {
      for (const optimizer of groups.values()) optimizer.dispose();
    },
    tfOptimizer,
    groups: () => groups,
  };
}
