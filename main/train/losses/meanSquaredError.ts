import type * as TF from '@tensorflow/tfjs';
import { expectSameShape, reduceLoss, type Reduced, type Reduction } from './reduction';

/** Mean squared error (PyTorch `mse_loss`): heatmap regression for keypoints. */
export function meanSquaredError<R extends Reduction = 'mean'>(tf: typeof TF, predictions: TF.Tensor, targets: TF.Tensor, options: { reduction?: R } = {}): Reduced<R> {
  expectSameShape('mse', predictions, targets);
  return tf.tidy(() => reduceLoss(tf.squaredDifference(predictions, targets), options.reduction ?? ('mean' as R)));
}
