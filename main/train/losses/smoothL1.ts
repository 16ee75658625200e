import type * as TF from '@tensorflow/tfjs';
import { expectSameShape, reduceLoss, type Reduced, type Reduction } from './reduction';

export interface SmoothL1Options<R extends Reduction> {
  /** Where the loss turns from quadratic to linear (PyTorch's `beta`, default 1); 0 is plain L1. */
  beta?: number;
  reduction?: R;
}

/**
 * Smooth L1 (PyTorch `smooth_l1_loss`): 0.5·d²/β where |d| < β, else |d| − 0.5·β. Quadratic near
 * zero so box regression converges smoothly, linear far out so outliers do not dominate.
 */
export function smoothL1Loss<R extends Reduction = 'mean'>(tf: typeof TF, predictions: TF.Tensor, targets: TF.Tensor, options: SmoothL1Options<R> = {}): Reduced<R> {
  expectSameShape('smooth_l1', predictions, targets);
  const beta = options.beta ?? 1;
  if (beta < 0) throw new Error(`smooth_l1: beta must be ≥ 0, got ${beta}`);
  return tf.tidy(() => {
    const d = tf.abs(tf.sub(predictions, targets));
    // With m = min(|d|, β): 0.5·m²/β + (|d| − m) is 0.5·d²/β below β and |d| − 0.5·β above, without
    // a comparison op (TF.js has no gradient for Less). β = 0 is L1, as in PyTorch.
    if (beta === 0) return reduceLoss(d, options.reduction ?? ('mean' as R));
    const m = tf.minimum(d, beta);
    const loss = m.square().mul(0.5 / beta).add(d.sub(m));
    return reduceLoss(loss, options.reduction ?? ('mean' as R));
  });
}
