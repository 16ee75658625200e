/**
 * Fast `Conv2DBackpropInput` for the wasm backend. The built-in one is a
 * naive single-threaded loop (~600 ms for one 3×3 32→32 layer at batch 32,
 * 64²); this one is XNNPACK convolutions of dy with the filter flipped in
 * space and its in/out channels swapped: one for stride 1, one per phase for
 * strides (see stridedInputGrad.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2d, release, transpose, type WasmBackendLike, type KernelArgs } from './kernelOps';
import { stridedInputGrad, type PhaseConv } from './stridedInputGrad';

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1,
    attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const denseConv: PhaseConv = (dyIn, flipped, pads) => {
    const wT = transpose(backend, flipped, [0, 1, 3, 2]); // [kh', kw', Cout, Cin]
    const dx = conv2d(backend, dyIn, wT, [1, 1], [1, 1], pads);
    release(backend, wT);
    return dx;
  };
  return stridedInputGrad(backend, dy, filter, {
    inShape: attrs.inputShape,
    strides: [info.strideHeight, info.strideWidth],
    kernel: [info.filterHeight, info.filterWidth],
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  }, denseConv);
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
