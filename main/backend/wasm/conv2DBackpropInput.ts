/**
 * Fast `Conv2DBackpropInput` for the wasm backend. The built-in one is a
 * naive single-threaded loop (~600 ms for one 3×3 32→32 layer at batch 32,
 * 64²); this one is XNNPACK convolutions of dy with the filter flipped in
 * space and its in/out channels swapped: one for stride 1, one per phase for
 * strides (see stridedInputGrad.ts).
 *
 * An XNNPACK convolution packs its filter when it is created (tens of ns per
 * weight), which only pays off over enough output positions: below
 * SMALL_DY_POSITIONS (deep layers at small inputs: 1×1 maps of ConvNeXt's
 * last stage at 32², batch 2) the built-in loop is faster (8 ms against
 * 90 ms for a 3072×768 1×1 filter at 2 positions) and gets the call.
 */
import * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { flipSpatialSwapChannels } from './flippedFilter';
import { conv2d, release, type KernelArgs, type WasmHeapBackend } from './kernelOps';
import { stridedInputGrad, gradGeometry, type PhaseConv } from './stridedInputGrad';

/** dy positions (N·oh·ow) below which the built-in loop wins (measured). */
const SMALL_DY_POSITIONS = 32;

interface Attrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const [n, oh, ow] = dy.shape;
  if (n * oh * ow < SMALL_DY_POSITIONS) return callBuiltin('Conv2DBackpropInput', args) as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1,
    attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const denseConv: PhaseConv = (dyIn, subFilter, pads) => {
    const wT = flipSpatialSwapChannels(backend, subFilter); // [kh', kw', Cout, Cin]
    const dx = conv2d(backend, dyIn, wT, [1, 1], [1, 1], pads);
    release(backend, wT);
    return dx;
  };
  return stridedInputGrad(backend, dy, filter, gradGeometry(attrs.inputShape, info), denseConv);
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
