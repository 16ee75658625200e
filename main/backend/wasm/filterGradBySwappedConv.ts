/**
 * dW of a convolution as one XNNPACK convolution with batch and channels
 * swapped:
 *
 * dW[i,j,ci,co] = Σ_{n,y,x} xpad[n, y·s + i, x·s + j, ci] · dy[n,y,x,co]
 *
 * is a convolution of x taken as [Cin, H, W, N] (Cin "images" with N
 * channels) with dy as an [oh, ow, N, Cout] filter dilated by the forward
 * stride; the output [Cin, kh, kw, Cout] is dW with its first axis moved.
 * Simple, but XNNPACK packs the whole of dy as filter weights on every call
 * (single-threaded, ~10+ ns per element) and then streams it once per
 * output-row tile; see filterGradByPatches.ts for the faster way.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './convGeometry';
import { conv2d, cropNegativePads, release, transpose, type WasmBackendLike } from './kernelOps';

export function filterGradBySwappedConv(
  backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry,
): tf.TensorInfo {
  const xT = transpose(backend, x, [3, 1, 2, 0]); // [Cin, H, W, N]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [oh, ow, N, Cout]
  // Bottom/right pads chosen so the output is exactly kh × kw; negative when
  // the forward pass never read the last rows/columns.
  const wanted = {
    top: g.top,
    left: g.left,
    bottom: g.kh + (g.oh - 1) * g.sh - g.h - g.top,
    right: g.kw + (g.ow - 1) * g.sw - g.w - g.left,
  };
  const { x: xIn, pads } = cropNegativePads(backend, xT, wanted);
  const dwT = conv2d(backend, xIn, dyT, [1, 1], [g.sh, g.sw], pads); // [Cin, kh, kw, Cout]
  const dw = transpose(backend, dwT, [1, 2, 0, 3]);
  release(backend, xT, dyT, dwT);
  if (xIn !== xT) release(backend, xIn);
  return dw;
}
