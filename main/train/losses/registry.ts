import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { classificationLoss } from './classification';
import { binaryCrossEntropy } from './binaryCrossEntropy';
import { sigmoidFocalLoss } from './focal';
import { meanSquaredError } from './meanSquaredError';
import { smoothL1Loss } from './smoothL1';

/**
 * Losses by the names head blocks declare (HeadInfo.loss; a detection head names its two parts
 * `<classLoss>+<boxLoss>`). The loop looks a head's loss up here instead of switching on names,
 * so a new loss is one entry.
 */

/** Settings a loss may read; each loss ignores those that are not its own. Plain data, so they can live in a run's JSON. */
export const LossOptionsSchema = z.strictObject({
  reduction: z.enum(['mean', 'sum']).optional(),
  /** cross_entropy */
  labelSmoothing: z.number().min(0).max(1).optional(),
  /** bce */
  posWeight: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
  /** focal */
  alpha: z.number().max(1).optional(),
  gamma: z.number().min(0).optional(),
  /** smooth_l1 */
  beta: z.number().min(0).optional(),
});
export type LossOptions = z.infer<typeof LossOptionsSchema>;

export interface LossDefinition {
  name: string;
  doc: string;
  /**
   * What the target tensor holds: `class_indices` — integer labels [B] for predictions [B,K];
   * `dense` — a float tensor of the prediction's own shape (0/1 for bce and focal).
   */
  target: 'class_indices' | 'dense';
  compute(tf: typeof TF, prediction: TF.Tensor, target: TF.Tensor, options?: LossOptions): TF.Scalar;
}

export const LOSSES: readonly LossDefinition[] = [
  {
    name: 'cross_entropy',
    doc: 'Softmax cross-entropy of class logits [B,K] against labels [B], with optional label smoothing (PyTorch CrossEntropyLoss).',
    target: 'class_indices',
    compute(tf, prediction, target, options = {}) {
      const [batch, classes] = prediction.shape;
      const mean = classificationLoss(tf, prediction as TF.Tensor2D, target as TF.Tensor1D, classes, options.labelSmoothing ?? 0);
      if (options.reduction !== 'sum') return mean;
      return tf.tidy(() => mean.mul(batch)) as TF.Scalar;
    },
  },
  {
    name: 'bce',
    doc: 'Binary cross-entropy of logits against 0/1 targets, with optional per-class positive weight (PyTorch BCEWithLogitsLoss).',
    target: 'dense',
    compute: (tf, prediction, target, options = {}) => binaryCrossEntropy(tf, prediction, target, { posWeight: options.posWeight, reduction: options.reduction ?? 'mean' }),
  },
  {
    name: 'focal',
    doc: 'Sigmoid focal loss of logits against 0/1 targets, alpha 0.25 and gamma 2 by default (torchvision.ops.sigmoid_focal_loss).',
    target: 'dense',
    compute: (tf, prediction, target, options = {}) => sigmoidFocalLoss(tf, prediction, target, { alpha: options.alpha, gamma: options.gamma, reduction: options.reduction ?? 'mean' }),
  },
  {
    name: 'mse',
    doc: 'Mean squared error (PyTorch MSELoss).',
    target: 'dense',
    compute: (tf, prediction, target, options = {}) => meanSquaredError(tf, prediction, target, { reduction: options.reduction ?? 'mean' }),
  },
  {
    name: 'smooth_l1',
    doc: 'Smooth L1 with PyTorch’s beta (default 1): quadratic below beta, linear above (PyTorch SmoothL1Loss).',
    target: 'dense',
    compute: (tf, prediction, target, options = {}) => smoothL1Loss(tf, prediction, target, { beta: options.beta, reduction: options.reduction ?? 'mean' }),
  },
];

/** Names heads can declare whose losses the trainer does not have yet: looking them up says so plainly. */
export const PLANNED_LOSSES: readonly string[] = ['ce', 'dice', 'dice_ce', 'giou', 'ciou', 'triplet', 'contrastive'];

const byName = new Map(LOSSES.map((l) => [l.name, l]));

export function getLoss(name: string): LossDefinition | undefined {
  return byName.get(name);
}

export type LossLookupError = { code: 'loss_not_implemented' | 'unknown_loss'; loss: string; message: string };
export type LossLookup = { ok: true; losses: LossDefinition[] } | { ok: false; errors: LossLookupError[] };

/** The loss(es) a head declares: one name, or `<a>+<b>` for a detection head's class and box parts. Every bad part is reported. */
export function resolveHeadLoss(declared: string): LossLookup {
  const parts = declared.split('+');
  const losses: LossDefinition[] = [];
  const errors: LossLookupError[] = [];
  for (const part of parts) {
    const loss = byName.get(part);
    if (loss) losses.push(loss);
    else if (PLANNED_LOSSES.includes(part)) errors.push({ code: 'loss_not_implemented', loss: part, message: `The loss "${part}" (declared "${declared}") is not implemented by the trainer yet` });
    else errors.push({ code: 'unknown_loss', loss: part, message: `Unknown loss "${part}" (declared "${declared}"); known: ${[...byName.keys()].join(', ')}` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, losses };
}
