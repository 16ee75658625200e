import type * as TF from '@tensorflow/tfjs';

/**
 * PyTorch's `reduction` argument. 'none' keeps the elementwise loss so a caller can mask it
 * (positive anchors only, visible joints only) before reducing it itself.
 */
export type Reduction = 'none' | 'mean' | 'sum';

/** A scalar for 'mean' and 'sum', the elementwise tensor for 'none': the types follow the argument. */
export type Reduced<R extends Reduction> = R extends 'none' ? TF.Tensor : TF.Scalar;

export function reduceLoss<R extends Reduction>(elementwise: TF.Tensor, reduction: R): Reduced<R> {
  if (reduction === 'mean') return elementwise.mean() as Reduced<R>;
  if (reduction === 'sum') return elementwise.sum() as Reduced<R>;
  return elementwise as Reduced<R>;
}

/** Throws when prediction and target differ in shape: broadcasting would silently compute a different loss. */
export function expectSameShape(loss: string, prediction: TF.Tensor, target: TF.Tensor): void {
  const same = prediction.rank === target.rank && prediction.shape.every((d, i) => d === target.shape[i]);
  if (!same) throw new Error(`${loss}: prediction [${prediction.shape.join(',')}] and target [${target.shape.join(',')}] must have the same shape`);
}
