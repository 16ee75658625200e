/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend, which has none
 * (so MobileNet/EfficientNet cannot train on wasm out of the box).
 *
 * Like the dense case (conv2DBackpropInput.ts), dx is dy convolved with the
 * filter flipped in space, phase by phase for strides; per channel that is a
 * depthwise convolution. With a channel multiplier M > 1, channel c of dx
 * sums the M output channels c·M+m it fed: a depthwise conv over all C·M
 * channels of dy (multiplier 1), then a sum over the trailing M.
 */
import * as tf from '@tensorflow/tfjs';
import { flipSpatial } from './flippedFilter';
import { callWasm, depthwiseConv2d, release, reshape, type KernelArgs, type WasmHeapBackend } from './kernelOps';
import { stridedInputGrad, gradGeometry, type PhaseConv } from './stridedInputGrad';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

function depthwiseConv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, attrs.dilations ?? 1,
    attrs.pad, attrs.dimRoundingMode, true);
  if (info.dilationHeight > 1 || info.dilationWidth > 1) {
    throw new Error('wasm DepthwiseConv2dNativeBackpropInput: dilations > 1 are not supported');
  }
  const depthwisePhase: PhaseConv = (dyIn, subFilter, pads) => {
    const flipped = flipSpatial(backend, subFilter);
    const [kh, kw, c, m] = flipped.shape;
    if (m === 1) {
      const dx = depthwiseConv2d(backend, dyIn, flipped, [1, 1], [1, 1], pads);
      release(backend, flipped);
      return dx;
    }
    const perOutput = reshape(backend, flipped, [kh, kw, c * m, 1]);
    const summands = depthwiseConv2d(backend, dyIn, perOutput, [1, 1], [1, 1], pads); // [N, h', w', C·M]
    const [n, h, w] = summands.shape;
    const split = reshape(backend, summands, [n, h, w, c, m]);
    const dx = callWasm('Sum', backend, { x: split }, { axis: [4], keepDims: false });
    release(backend, flipped, perOutput, summands, split);
    return dx;
  };
  return stridedInputGrad(backend, dy, filter, gradGeometry(attrs.inputShape, info), depthwisePhase);
}

export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as unknown as tf.KernelFunc,
};
