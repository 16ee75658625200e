/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (so no conv net
 * can train on wasm out of the box).
 *
 * dW[i,j,ci,co] = Σ_{n,y,x} xpad[n, y·s + i, x·s + j, ci] · dy[n,y,x,co]
 * is itself a convolution once batch and channels swap roles: take x as
 * [Cin, H, W, N] (Cin "images" with N channels) and dy as an [oh, ow, N, Cout]
 * filter dilated by the forward stride; the output [Cin, kh, kw, Cout] is dW
 * with its first axis moved. That runs on XNNPACK (multi-threaded) instead of
 * a scalar loop.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2d, cropNegativePads, release, transpose, type WasmBackendLike, type KernelArgs } from './kernelOps';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1,
    attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  const { top, left } = info.padInfo;

  const xT = transpose(backend, x, [3, 1, 2, 0]); // [Cin, H, W, N]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [oh, ow, N, Cout]
  // Bottom/right pads chosen so the output is exactly kh × kw; negative when
  // the forward pass never read the last rows/columns.
  const wanted = { top, left, bottom: kh + (oh - 1) * sh - h - top, right: kw + (ow - 1) * sw - w - left };
  const { x: xIn, pads } = cropNegativePads(backend, xT, wanted);
  const dwT = conv2d(backend, xIn, dyT, [1, 1], [sh, sw], pads); // [Cin, kh, kw, Cout]
  const dw = transpose(backend, dwT, [1, 2, 0, 3]);
  release(backend, xT, dyT, dwT);
  if (xIn !== xT) release(backend, xIn);
  return dw;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
