import { z } from 'zod';
import { defaultMode } from './checkpointMetric';
import { EarlyStoppingStateSchema, monitoredValue, startEarlyStopping, stepEarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './earlyStopping';
import { LossCombinerStateSchema } from './losses';
import { PlateauOptionsSchema, PlateauStateSchema, startPlateau, stepPlateau, type PlateauState } from './plateau';
import type { HyperParams } from './protocol';

/**
 * What the loop decides between epochs from the epoch's metrics — reduce-on-plateau and early
 * stopping — as one object over plain-JSON state, the `hooks` of the loop state that
 * checkpoints carry, so a resumed run cuts its rate and stops on the same epochs as an
 * uninterrupted one.
 */

/** The loop state's `hooks`, each helper's state under its own key. */
export const LoopHooksSchema = z.strictObject({
  plateau: PlateauStateSchema.optional(),
  earlyStopping: EarlyStoppingStateSchema.optional(),
  /** The uncertainty weighting's learned log-variances (they are variables, but not the model's). */
  lossCombiner: LossCombinerStateSchema.optional(),
  /** The phase whose optimiser the checkpoint holds, and the backbone its fine-tune plan was made with. */
  phase: z.strictObject({ index: z.number().int().min(0), pretrainedNodes: z.array(z.string()).nullable() }).optional(),
});
export type LoopHooks = z.infer<typeof LoopHooksSchema>;

export function parseLoopHooks(raw: Record<string, unknown>): LoopHooks {
  const parsed = LoopHooksSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The checkpoint's loop hooks are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Why and where a run stopped before its last epoch: the summary's `stoppedEarly`. */
export interface StoppedEarly {
  metric: string;
  /** The epoch (0-based) with the best value; null when no finite value was seen. */
  bestEpoch: number | null;
  best: number | null;
  reason: 'patience' | 'non_finite';
}

export interface EpochDecision {
  /** The rate reduce-on-plateau cut to for the coming epochs, when it did. */
  learningRateReducedTo: number | null;
  stop: StoppedEarly | null;
}

export interface EpochHooks {
  /** The plateau reducer's factor on the phase's schedule: 1 until it cuts. */
  learningRateScale(): number;
  /** A new phase: the plateau reducer starts afresh at its rate, early stopping's patience counts anew (its best stays). */
  startPhase(learningRate: number): void;
  afterEpoch(epoch: number, metrics: Readonly<Record<string, number>>): EpochDecision;
  state(): Pick<LoopHooks, 'plateau' | 'earlyStopping'>;
  /** Continues from a checkpoint's state. A run that had stopped early goes on, its patience counting anew. */
  restore(saved: LoopHooks): void;
}

/** Reduce-on-plateau's options as the reducer takes them: the run's, the mode by the metric's name unless given. */
export function plateauOptions(h: Pick<HyperParams, 'plateau'>) {
  const p = h.plateau ?? { metric: 'val/loss', factor: 0.1, patience: 10 };
  return { metric: p.metric, options: PlateauOptionsSchema.parse({ mode: p.mode ?? defaultMode(p.metric), factor: p.factor, patience: p.patience }) };
}

export function createEpochHooks(h: Pick<HyperParams, 'schedule' | 'plateau' | 'earlyStopping'>, learningRate: number): EpochHooks {
  const plateau = h.schedule === 'reduce-on-plateau' ? plateauOptions(h) : null;
  const early: EarlyStoppingOptions | null = h.earlyStopping ?? null;
  let phaseRate = learningRate;
  let plateauState: PlateauState | undefined = plateau ? startPlateau(learningRate) : undefined;
  let earlyState: EarlyStoppingState | undefined = early ? startEarlyStopping() : undefined;
  return {
    learningRateScale: () => (plateauState ? plateauState.learningRate / phaseRate : 1),
    startPhase(rate) {
      phaseRate = rate;
      if (plateau) plateauState = startPlateau(rate);
      if (earlyState) earlyState = { ...earlyState, epochsWithoutImprovement: 0 };
    },
    afterEpoch(epoch, metrics) {
      let learningRateReducedTo: number | null = null;
      if (plateau && plateauState) {
        const result = stepPlateau(plateau.options, plateauState, monitoredValue({ metric: plateau.metric }, metrics));
        plateauState = result.state;
        if (result.reduced) learningRateReducedTo = result.state.learningRate;
      }
      let stop: StoppedEarly | null = null;
      if (early && earlyState) {
        earlyState = stepEarlyStopping(early, earlyState, epoch, monitoredValue(early, metrics));
        if (earlyState.stopped) stop = { metric: early.metric, bestEpoch: earlyState.bestEpoch, best: earlyState.best, reason: earlyState.reason ?? 'patience' };
      }
      return { learningRateReducedTo, stop };
    },
    state: () => ({ ...(plateauState ? { plateau: { ...plateauState } } : {}), ...(earlyState ? { earlyStopping: { ...earlyState } } : {}) }),
    restore(saved) {
      if (plateau && saved.plateau) plateauState = saved.plateau;
      if (early && saved.earlyStopping) {
        const s = saved.earlyStopping;
        earlyState = s.stopped ? { ...s, stopped: false, reason: null, epochsWithoutImprovement: 0 } : s;
      }
    },
  };
}
