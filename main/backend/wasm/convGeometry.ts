/**
 * The numbers of a 2-D NHWC convolution that its gradient kernels need,
 * from the kernel's attrs (TF.js computes pads for 'same'/'valid'/explicit).
 */
import * as tf from '@tensorflow/tfjs';

export interface ConvGeometry {
  n: number; h: number; w: number; cin: number; cout: number;
  kh: number; kw: number; sh: number; sw: number;
  oh: number; ow: number;
  /** Padding before the first row / column (may exceed what 'valid' reads). */
  top: number; left: number;
}

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function convGeometry(
  inShape: [number, number, number, number], filterShape: [number, number, number, number], attrs: ConvAttrs,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return {
    n: info.batchSize, h: info.inHeight, w: info.inWidth, cin: info.inChannels, cout: info.outChannels,
    kh: info.filterHeight, kw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth,
    oh: info.outHeight, ow: info.outWidth, top: info.padInfo.top, left: info.padInfo.left,
  };
}
