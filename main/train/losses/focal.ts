import type * as TF from '@tensorflow/tfjs';
import { binaryCrossEntropyElementwise } from './binaryCrossEntropy';
import { expectSameShape, reduceLoss, type Reduced, type Reduction } from './reduction';

export interface SigmoidFocalLossOptions<R extends Reduction> {
  /** Weight of positives, 1 − alpha of negatives; a negative value turns the weighting off (torchvision's convention). */
  alpha?: number;
  /** Focusing exponent: how much the loss of easy, well-classified elements is scaled down. */
  gamma?: number;
  /** Defaults to 'mean' (torchvision's default is 'none'; detection callers pass 'sum' and divide by the positives). */
  reduction?: R;
}

/**
 * Sigmoid focal loss (Lin et al., RetinaNet), exactly as torchvision.ops.sigmoid_focal_loss:
 * with p = σ(x) and p_t = p·y + (1 − p)·(1 − y), loss = α_t · (1 − p_t)^γ · BCE(x, y), where
 * α_t = α·y + (1 − α)·(1 − y). One-stage detectors score tens of thousands of anchors, nearly all
 * easy background; the (1 − p_t)^γ factor keeps them from swamping the few positives.
 */
export function sigmoidFocalLoss<R extends Reduction = 'mean'>(tf: typeof TF, logits: TF.Tensor, targets: TF.Tensor, options: SigmoidFocalLossOptions<R> = {}): Reduced<R> {
  expectSameShape('focal', logits, targets);
  const alpha = options.alpha ?? 0.25;
  const gamma = options.gamma ?? 2;
  return tf.tidy(() => {
    const y = targets.toFloat();
    const p = tf.sigmoid(logits);
    const ce = binaryCrossEntropyElementwise(tf, logits, y);
    const pT = p.mul(y).add(tf.sub(1, p).mul(tf.sub(1, y)));
    let loss = ce.mul(tf.pow(tf.sub(1, pT), gamma));
    if (alpha >= 0) loss = loss.mul(y.mul(alpha).add(tf.sub(1, y).mul(1 - alpha)));
    return reduceLoss(loss, options.reduction ?? ('mean' as R));
  });
}
