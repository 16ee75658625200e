import * as tf from '@tensorflow/tfjs';
import type { SpatialPadding } from '../../core';

/**
 * Dilated ("atrous") convolution the way TensorFlow's atrous_conv2d computes it, because
 * tfjs-core refuses the gradient of conv2d and depthwiseConv2d with dilation > 1 on every
 * backend. With dilation d, output position d·q + r only reads input positions ≡ r (mod d): the
 * d×d interleaved sub-images are each convolved with the undilated kernel. spaceToBatchND moves
 * them into the batch (padding as it goes), a plain stride-1 'valid' convolution runs, and
 * batchToSpaceND interleaves the results back. All three ops have gradients on every backend.
 */

export interface AtrousWindow {
  kernelSize: number;
  stride: number;
  dilation: number;
  /** Zero rows/columns [before, after] along height and width (PyTorch-style explicit padding). */
  padding: SpatialPadding;
}

/** Output size along one axis: floor((size + before + after − d(K−1) − 1) / s) + 1, as PyTorch's Conv2d. */
export function atrousOutputSize(size: number, pad: [number, number], w: AtrousWindow): number {
  return Math.floor((size + pad[0] + pad[1] - w.dilation * (w.kernelSize - 1) - 1) / w.stride) + 1;
}

/**
 * Keeps every s-th row and column, starting at the first (a stride applied after the fact).
 * tfjs-core has no gradient for stridedSlice, so: pad to a multiple of s, split each axis into
 * [n, s] by a reshape and slice index 0 of the s-axes — pad, reshape and slice all differentiate.
 */
function subsample(y: tf.Tensor4D, s: number): tf.Tensor4D {
  if (s === 1) return y;
  const [b, h, w, c] = y.shape;
  const oh = Math.ceil(h / s);
  const ow = Math.ceil(w / s);
  const padded = tf.pad(y, [[0, 0], [0, oh * s - h], [0, ow * s - w], [0, 0]]);
  const split = tf.reshape(padded, [b * oh, s, ow, s * c]);
  // Row offset 0 of each s-block of rows, then the first c values of each s·c group: column offset 0.
  const rows = tf.slice(split, [0, 0, 0, 0], [b * oh, 1, ow, c]);
  return tf.reshape(rows, [b, oh, ow, c]);
}

/**
 * Applies `convolve` (a stride-1 'valid' convolution with an undilated K×K kernel, NHWC) as a
 * dilated, padded, strided convolution of `x`. The result equals conv2d(pad(x), dilation d,
 * stride s) exactly: rearranging and zero padding are exact, and each output sums the same
 * products.
 */
export function atrous(x: tf.Tensor4D, w: AtrousWindow, convolve: (x: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const d = w.dilation;
  const [, h, wd] = x.shape;
  // Extra zeros after the padding make the padded size a multiple of d; as many rows/columns are cropped after.
  const extra = [h, wd].map((size, axis) => {
    const padded = size + w.padding[axis][0] + w.padding[axis][1];
    return (d - (padded % d)) % d;
  });
  const spread = tf.spaceToBatchND(x, [d, d], [
    [w.padding[0][0], w.padding[0][1] + extra[0]],
    [w.padding[1][0], w.padding[1][1] + extra[1]],
  ]);
  const y = tf.batchToSpaceND(convolve(spread), [d, d], [
    [0, extra[0]],
    [0, extra[1]],
  ]) as tf.Tensor4D;
  return subsample(y, w.stride);
}
