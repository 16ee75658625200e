/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which has none.
 *
 * dW[i,j,c,m] = Σ_{n,y,x} xpad[n, y·s+i, x·s+j, c] · dy[n, y, x, c·M+m]
 * is, per (n, c), a correlation of one image plane with one dy plane dilated
 * by the stride: with the batch packed into the channels it is one depthwise
 * convolution of x as [1, H, W, N·C] with dy as an [oh, ow, N·C, M] filter,
 * giving [1, kh, kw, N·C·M]; summing over n (an average pool) gives dW. All
 * of it runs in XNNPACK, against the cpu backend's scalar loop.
 */
import * as tf from '@tensorflow/tfjs';
import {
  cropNegativePads, depthwiseConv2d, release, reshape, transpose, type WasmBackendLike, type KernelArgs,
} from './kernelOps';
import { meanOfRows } from './reduceLeadingAxes';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function depthwiseConv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, attrs.dilations ?? 1,
    attrs.pad, attrs.dimRoundingMode, true);
  if (info.dilationHeight > 1 || info.dilationWidth > 1) {
    throw new Error('wasm DepthwiseConv2dNativeBackpropFilter: dilations > 1 are not supported');
  }
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, batchSize: n, inChannels: c } = info;
  const m = attrs.filterShape[3];
  const { top, left } = info.padInfo;

  const xT = transpose(backend, x, [1, 2, 0, 3]); // [H, W, N, C]
  const planes = reshape(backend, xT, [1, h, w, n * c]);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [oh, ow, N, C·M]
  const dyFilter = reshape(backend, dyT, [oh, ow, n * c, m]);
  // Pads making the output exactly kh × kw (see conv2DBackpropFilter.ts).
  const wanted = { top, left, bottom: kh + (oh - 1) * sh - h - top, right: kw + (ow - 1) * sw - w - left };
  const { x: planesIn, pads } = cropNegativePads(backend, planes, wanted);
  const perImage = depthwiseConv2d(backend, planesIn, dyFilter, [1, 1], [sh, sw], pads); // [1, kh, kw, N·C·M]
  const summed = meanOfRows(backend, perImage, kh * kw, n, c * m, n);
  const dw = reshape(backend, summed, [kh, kw, c, m]);
  release(backend, xT, planes, dyT, dyFilter, perImage, summed);
  if (planesIn !== planes) release(backend, planesIn);
  return dw;
}

export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter as unknown as tf.KernelFunc,
};
