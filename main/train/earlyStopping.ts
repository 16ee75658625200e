import { z } from 'zod';

/**
 * Early stopping as Keras's EarlyStopping and Lightning's: stop once the monitored metric has not
 * improved by more than `minDelta` for `patience` epochs in a row, and say which epoch was best
 * (the checkpoint to keep). A NaN or infinite metric stops at once, as Lightning's `check_finite`:
 * a diverged run does not recover. The state is plain JSON and lives in checkpoints.
 */

export const EarlyStoppingOptionsSchema = z.strictObject({
  /** A metric name as logged, e.g. `val/loss` or `val/top1`. */
  metric: z.string().min(1),
  mode: z.enum(['min', 'max']),
  patience: z.number().int().min(1),
  minDelta: z.number().min(0).default(0),
});
export type EarlyStoppingOptionsInput = z.input<typeof EarlyStoppingOptionsSchema>;
export type EarlyStoppingOptions = z.output<typeof EarlyStoppingOptionsSchema>;

export const EarlyStoppingStateSchema = z.strictObject({
  /** null until the first finite value. */
  best: z.number().nullable(),
  bestEpoch: z.number().int().nullable(),
  epochsWithoutImprovement: z.number().int().min(0),
  stopped: z.boolean(),
  reason: z.enum(['patience', 'non_finite']).nullable(),
});
export type EarlyStoppingState = z.infer<typeof EarlyStoppingStateSchema>;

export function startEarlyStopping(): EarlyStoppingState {
  return { best: null, bestEpoch: null, epochsWithoutImprovement: 0, stopped: false, reason: null };
}

function improves(options: EarlyStoppingOptions, value: number, best: number | null): boolean {
  if (best === null) return true;
  return options.mode === 'min' ? value < best - options.minDelta : value > best + options.minDelta;
}

/** One epoch's value of the monitored metric in; the next state (with `stopped`) out. Pure. */
export function stepEarlyStopping(options: EarlyStoppingOptions, state: EarlyStoppingState, epoch: number, value: number): EarlyStoppingState {
  if (state.stopped) return state;
  if (!Number.isFinite(value)) return { ...state, stopped: true, reason: 'non_finite' };
  if (improves(options, value, state.best)) return { ...state, best: value, bestEpoch: epoch, epochsWithoutImprovement: 0 };
  const epochsWithoutImprovement = state.epochsWithoutImprovement + 1;
  const stopped = epochsWithoutImprovement >= options.patience;
  return { ...state, epochsWithoutImprovement, stopped, reason: stopped ? 'patience' : null };
}

/** The monitored value from an epoch's metrics; a name that was never logged is an error naming those that were. */
export function monitoredValue(options: Pick<EarlyStoppingOptions, 'metric'>, metrics: Readonly<Record<string, number>>): number {
  const value = metrics[options.metric];
  if (value === undefined) throw new Error(`Early stopping monitors "${options.metric}", which this run does not log (it logs: ${Object.keys(metrics).join(', ')})`);
  return value;
}
