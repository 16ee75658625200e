import { z } from 'zod';

/**
 * Reduce-on-plateau as PyTorch's ReduceLROnPlateau: after more than `patience` epochs in which
 * the monitored metric did not improve by `threshold` (relative by default: below best·(1 − 1e-4)
 * in min mode), the learning rate is multiplied by `factor`, never below `minLr`; then `cooldown`
 * epochs pass before bad epochs count again. The state is plain JSON and lives in checkpoints, so
 * a resumed run reduces on the same epochs as an uninterrupted one.
 */

export const PlateauOptionsSchema = z.strictObject({
  mode: z.enum(['min', 'max']).default('min'),
  factor: z.number().gt(0).lt(1).default(0.1),
  patience: z.number().int().min(0).default(10),
  threshold: z.number().min(0).default(1e-4),
  thresholdMode: z.enum(['rel', 'abs']).default('rel'),
  cooldown: z.number().int().min(0).default(0),
  minLr: z.number().min(0).default(0),
  /** Reductions smaller than this are skipped (PyTorch's `eps`): the rate is already at its floor. */
  eps: z.number().min(0).default(1e-8),
});
export type PlateauOptionsInput = z.input<typeof PlateauOptionsSchema>;
export type PlateauOptions = z.output<typeof PlateauOptionsSchema>;

export const PlateauStateSchema = z.strictObject({
  learningRate: z.number().positive(),
  /** Best metric so far; null before the first epoch (PyTorch's ±∞, which JSON cannot hold). */
  best: z.number().nullable(),
  badEpochs: z.number().int().min(0),
  cooldownLeft: z.number().int().min(0),
  /** Epochs seen. */
  epochs: z.number().int().min(0),
  reductions: z.number().int().min(0),
});
export type PlateauState = z.infer<typeof PlateauStateSchema>;

export function startPlateau(learningRate: number): PlateauState {
  return { learningRate, best: null, badEpochs: 0, cooldownLeft: 0, epochs: 0, reductions: 0 };
}

/** PyTorch's `is_better`; NaN is never better, so a NaN epoch counts as a bad one. */
export function improvesOn(options: Pick<PlateauOptions, 'mode' | 'threshold' | 'thresholdMode'>, value: number, best: number | null): boolean {
  if (best === null) return !Number.isNaN(value);
  const { mode, threshold, thresholdMode } = options;
  if (mode === 'min') return thresholdMode === 'rel' ? value < best * (1 - threshold) : value < best - threshold;
  return thresholdMode === 'rel' ? value > best * (1 + threshold) : value > best + threshold;
}

/** One epoch's metric in, the next state out (and whether this epoch cut the rate). Pure. */
export function stepPlateau(options: PlateauOptions, state: PlateauState, metric: number): { state: PlateauState; reduced: boolean } {
  const next = { ...state, epochs: state.epochs + 1 };
  if (improvesOn(options, metric, state.best)) {
    next.best = metric;
    next.badEpochs = 0;
  } else {
    next.badEpochs = state.badEpochs + 1;
  }
  if (next.cooldownLeft > 0) {
    next.cooldownLeft -= 1;
    next.badEpochs = 0;
  }
  let reduced = false;
  if (next.badEpochs > options.patience) {
    const lowered = Math.max(next.learningRate * options.factor, options.minLr);
    if (next.learningRate - lowered > options.eps) {
      next.learningRate = lowered;
      next.reductions += 1;
      reduced = true;
    }
    next.cooldownLeft = options.cooldown;
    next.badEpochs = 0;
  }
  return { state: next, reduced };
}

export interface PlateauController {
  readonly learningRate: number;
  /** Feed the epoch's monitored metric; returns the rate for the next epoch. */
  step(metric: number): { learningRate: number; reduced: boolean };
  /** Plain JSON for a checkpoint; `createPlateauController(options, lr, state)` resumes from it. */
  state(): PlateauState;
}

export function createPlateauController(options: PlateauOptionsInput, learningRate: number, resumeFrom?: PlateauState): PlateauController {
  const parsed = PlateauOptionsSchema.parse(options);
  let state = resumeFrom ? PlateauStateSchema.parse(resumeFrom) : startPlateau(learningRate);
  return {
    get learningRate() {
      return state.learningRate;
    },
    step(metric) {
      const result = stepPlateau(parsed, state, metric);
      state = result.state;
      return { learningRate: state.learningRate, reduced: result.reduced };
    },
    state: () => ({ ...state }),
  };
}
