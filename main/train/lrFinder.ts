import { z } from 'zod';

/**
 * The learning-rate range test (Smith 2015; fastai's `lr_find`): train for a few steps while the
 * rate grows exponentially from minLr to maxLr, follow a smoothed loss, stop once it exceeds 4×
 * the best seen (training has diverged; further steps only waste time), and suggest a rate from
 * the curve. The loop owns the training; these functions own the schedule, the bookkeeping and the
 * suggestion, so they are pure and their state is plain JSON.
 */

export const LrRangeTestOptionsSchema = z
  .strictObject({
    minLr: z.number().positive().default(1e-7),
    maxLr: z.number().positive().default(10),
    steps: z.number().int().min(2).default(100),
    /** EMA factor of the smoothed loss; 0 follows the raw loss. */
    beta: z.number().min(0).lt(1).default(0.98),
    /** Stop once the smoothed loss exceeds this multiple of the best smoothed loss. */
    divergeFactor: z.number().gt(1).default(4),
  })
  .refine((o) => o.maxLr > o.minLr, { message: 'maxLr must be greater than minLr' });
export type LrRangeTestOptionsInput = z.input<typeof LrRangeTestOptionsSchema>;
export type LrRangeTestOptions = z.output<typeof LrRangeTestOptionsSchema>;

/** The rate of step i (0-based): minLr·(maxLr/minLr)^(i/(steps − 1)), so the first step runs at minLr and the last at maxLr. */
export function rangeTestLearningRate(options: Pick<LrRangeTestOptions, 'minLr' | 'maxLr' | 'steps'>, step: number): number {
  return options.minLr * (options.maxLr / options.minLr) ** (step / (options.steps - 1));
}

export interface RangeTestPoint {
  learningRate: number;
  loss: number;
  smoothedLoss: number;
}

export interface RangeTestState {
  points: RangeTestPoint[];
  /** The running, not yet bias-corrected, average. */
  average: number;
  bestSmoothedLoss: number | null;
  stopped: boolean;
  reason: 'completed' | 'diverged' | 'non_finite' | null;
}

export function startRangeTest(): RangeTestState {
  return { points: [], average: 0, bestSmoothedLoss: null, stopped: false, reason: null };
}

/**
 * Records the loss of the next step (run at `rangeTestLearningRate(options, state.points.length)`).
 * The smoothed loss is the EMA avg ← β·avg + (1 − β)·loss divided by 1 − β^(t+1): without that
 * bias correction the first values would be pulled toward the average's starting 0.
 */
export function recordRangeTestLoss(options: LrRangeTestOptions, state: RangeTestState, loss: number): RangeTestState {
  if (state.stopped) return state;
  if (!Number.isFinite(loss)) return { ...state, stopped: true, reason: 'non_finite' };
  const step = state.points.length;
  const average = options.beta * state.average + (1 - options.beta) * loss;
  const smoothedLoss = average / (1 - options.beta ** (step + 1));
  const points = [...state.points, { learningRate: rangeTestLearningRate(options, step), loss, smoothedLoss }];
  const bestSmoothedLoss = state.bestSmoothedLoss === null ? smoothedLoss : Math.min(state.bestSmoothedLoss, smoothedLoss);
  const diverged = smoothedLoss > options.divergeFactor * bestSmoothedLoss;
  const completed = points.length >= options.steps;
  return { points, average, bestSmoothedLoss, stopped: diverged || completed, reason: diverged ? 'diverged' : completed ? 'completed' : null };
}

export interface RangeTestSuggestion {
  /** The rate at the start of the steepest descent of the smoothed loss against log(lr) (fastai's `steep`). */
  steepest: number;
  /** The rate of the lowest smoothed loss, divided by 10 (fastai's `minimum`): the loss is still falling fast there. */
  minimumOverTen: number;
}

/**
 * Suggestions from the smoothed curve. As fastai, the first tenth of the planned steps (the
 * average is still settling) and the last five points (the blow-up) are left out, unless that
 * would leave fewer than two points. Null when fewer than two points were recorded.
 */
export function suggestLearningRate(options: Pick<LrRangeTestOptions, 'steps'>, points: readonly RangeTestPoint[]): RangeTestSuggestion | null {
  if (points.length < 2) return null;
  const trimmed = points.slice(Math.floor(options.steps / 10), Math.max(0, points.length - 5));
  const curve = trimmed.length >= 2 ? trimmed : points;
  let steepest = 0;
  let steepestSlope = Infinity;
  for (let i = 0; i + 1 < curve.length; i++) {
    const slope = (curve[i + 1].smoothedLoss - curve[i].smoothedLoss) / (Math.log(curve[i + 1].learningRate) - Math.log(curve[i].learningRate));
    if (slope < steepestSlope) [steepest, steepestSlope] = [i, slope];
  }
  const lowest = curve.reduce((best, p, i) => (p.smoothedLoss < curve[best].smoothedLoss ? i : best), 0);
  return { steepest: curve[steepest].learningRate, minimumOverTen: curve[lowest].learningRate / 10 };
}
