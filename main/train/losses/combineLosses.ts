import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';

/**
 * How the heads' losses of a multi-task graph add up to the one loss that is minimised:
 * - `fixed`: Σ wᵢ·Lᵢ with each head's own `lossWeight` (the template's hand-tuned balance);
 * - `uncertainty`: Kendall, Gal & Cipolla (2018), Σ exp(−sᵢ)·Lᵢ + sᵢ with one learnable
 *   sᵢ = log σᵢ² per head. A task whose loss stays large learns a large sᵢ and so a small weight;
 *   the + sᵢ term keeps every weight from collapsing to zero. Heads' `lossWeight`s are not used.
 */
export const LossWeightingSchema = z.enum(['fixed', 'uncertainty']);
export type LossWeighting = z.infer<typeof LossWeightingSchema>;

/** What a checkpoint keeps of a combiner, so a resumed run continues with the same learned sᵢ. */
export const LossCombinerStateSchema = z.strictObject({
  weighting: LossWeightingSchema,
  logVariances: z.record(z.string(), z.number()),
});
export type LossCombinerState = z.infer<typeof LossCombinerStateSchema>;

export interface LossHead {
  /** The head's node id: losses are keyed by it, and metrics are named `train/loss/<node>`. */
  node: string;
  lossWeight: number;
}

export interface LossCombiner {
  readonly weighting: LossWeighting;
  readonly heads: readonly string[];
  /** The learnable sᵢ (uncertainty weighting; none for fixed). They train with the model's weights. */
  readonly variables: readonly TF.Variable[];
  /** The total loss, from exactly one loss per head. Call it inside the optimiser's loss function so the sᵢ get gradients. */
  combine(losses: Record<string, TF.Scalar>): TF.Scalar;
  /** Each head's current weight (wᵢ, or exp(−sᵢ)), for the training log. */
  weights(): Record<string, number>;
  /** Each head's sᵢ (empty for fixed weighting), for the training log. */
  logVariances(): Record<string, number>;
  state(): LossCombinerState;
  restore(state: LossCombinerState): void;
  dispose(): void;
}

/** Variables need process-unique names; a counter keeps two runs in one process apart. */
let combinersCreated = 0;

export function createLossCombiner(tf: typeof TF, heads: readonly LossHead[], weighting: LossWeighting = 'fixed', initialLogVariance = 0): LossCombiner {
  const names = heads.map((h) => h.node);
  if (new Set(names).size !== names.length) throw new Error(`Loss combiner: head ids must be unique, got ${names.join(', ')}`);
  const prefix = `loss_uncertainty_${combinersCreated++}`;
  const logVars = new Map<string, TF.Variable>(
    weighting === 'uncertainty' ? heads.map((h) => [h.node, tf.variable(tf.scalar(initialLogVariance), true, `${prefix}/${h.node}`)]) : [],
  );
  const fixedWeights = Object.fromEntries(heads.map((h) => [h.node, h.lossWeight]));
  const readLogVars = () => Object.fromEntries([...logVars].map(([node, s]) => [node, s.dataSync()[0]]));

  return {
    weighting,
    heads: names,
    variables: [...logVars.values()],
    combine(losses) {
      const unknown = Object.keys(losses).filter((k) => !names.includes(k));
      const missing = names.filter((k) => !(k in losses));
      if (unknown.length > 0 || missing.length > 0) {
        throw new Error(`Loss combiner: expected one loss per head (${names.join(', ')}); missing: ${missing.join(', ') || 'none'}; unknown: ${unknown.join(', ') || 'none'}`);
      }
      return tf.tidy(() => {
        const terms = names.map((node) => {
          const s = logVars.get(node);
          return s ? tf.exp(tf.neg(s)).mul(losses[node]).add(s) : losses[node].mul(fixedWeights[node]);
        });
        return tf.addN(terms) as TF.Scalar;
      });
    },
    weights: () => (weighting === 'fixed' ? { ...fixedWeights } : Object.fromEntries(Object.entries(readLogVars()).map(([node, s]) => [node, Math.exp(-s)]))),
    logVariances: readLogVars,
    state: () => ({ weighting, logVariances: readLogVars() }),
    restore(state) {
      const parsed = LossCombinerStateSchema.parse(state);
      if (parsed.weighting !== weighting) throw new Error(`Loss combiner: checkpoint used ${parsed.weighting} weighting, this run uses ${weighting}`);
      for (const [node, s] of logVars) {
        const value = parsed.logVariances[node];
        if (value === undefined) throw new Error(`Loss combiner: checkpoint has no log-variance for head "${node}"`);
        tf.tidy(() => s.assign(tf.scalar(value)));
      }
    },
    dispose() {
      for (const s of logVars.values()) s.dispose();
    },
  };
}
