import type * as TF from '@tensorflow/tfjs';
import { expectSameShape, reduceLoss, type Reduced, type Reduction } from './reduction';

export interface BinaryCrossEntropyOptions<R extends Reduction> {
  /**
   * PyTorch's `pos_weight`: multiplies the loss of positive targets, e.g. negatives/positives per
   * class when positives are rare. A number applies to every element; an array or tensor is
   * broadcast along the last axis (one weight per class).
   */
  posWeight?: number | number[] | TF.Tensor;
  reduction?: R;
}

/**
 * The elementwise binary cross-entropy of logits, in PyTorch's numerically stable form
 * (`BCEWithLogitsLoss`): (1 − y)·x + (1 + (w − 1)·y)·softplus(−x). Computing σ(x) first and taking
 * its log would give −∞ for confident wrong logits; this form never overflows.
 */
export function binaryCrossEntropyElementwise(tf: typeof TF, logits: TF.Tensor, targets: TF.Tensor, posWeight?: number | number[] | TF.Tensor): TF.Tensor {
  return tf.tidy(() => {
    const x = logits.toFloat();
    const y = targets.toFloat();
    // softplus(−x) = log(1 + e^−x) = −log σ(x). TF.js's softplus kernel is the stable one, and its
    // gradient is σ exactly; PyTorch's spelling, log1p(e^−|x|) + max(−x, 0), has gradient 0 at x = 0
    // under autodiff (abs′(0) = relu′(0) = 0) where the true value is −½.
    const softplusNegX = tf.softplus(tf.neg(x));
    const negativeTerm = tf.sub(1, y).mul(x);
    if (posWeight === undefined) return negativeTerm.add(softplusNegX);
    const w = typeof posWeight === 'number' ? tf.scalar(posWeight) : Array.isArray(posWeight) ? tf.tensor1d(posWeight) : posWeight.toFloat();
    const logWeight = w.sub(1).mul(y).add(1);
    return negativeTerm.add(logWeight.mul(softplusNegX));
  });
}

/** Binary cross-entropy from logits (PyTorch `binary_cross_entropy_with_logits`, mean by default). */
export function binaryCrossEntropy<R extends Reduction = 'mean'>(tf: typeof TF, logits: TF.Tensor, targets: TF.Tensor, options: BinaryCrossEntropyOptions<R> = {}): Reduced<R> {
  expectSameShape('bce', logits, targets);
  return tf.tidy(() => reduceLoss(binaryCrossEntropyElementwise(tf, logits, targets, options.posWeight), options.reduction ?? ('mean' as R)));
}
