/**
 * Small typed wrappers around the wasm backend's own kernels, so our kernels
 * can be composed from them (XNNPACK conv, transpose, pad, …) without going
 * through the engine: calling `kernelFunc` directly keeps intermediates out of
 * the engine's tensor tracking, so they never count as leaked tensors and
 * never show up in `tf.profile`. Every intermediate must be freed with
 * `release` (backend.disposeData) exactly once.
 */
import * as tf from '@tensorflow/tfjs';
import { sliceHeap } from './heapSlice';

/** The part of the wasm backend our kernels use. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The wasm backend's heap access, for the few kernels that must be scalar
 * loops: outputs are allocated on the wasm heap and read/written as typed
 * views. Views must be taken after every allocation (the heap may grow and
 * detach older views).
 */
export interface WasmHeapBackend extends WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type Info = tf.TensorInfo;

/** What the engine passes a kernelFunc (inputs present by contract). */
export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}
type Attrs = Record<string, unknown>;

/** Run the wasm backend's implementation of `name` directly. */
export function callWasm(
  name: string,
  backend: WasmBackendLike,
  inputs: Record<string, Info> | Info[], // Pack/Concat take an array
  attrs: Attrs = {},
): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`wasm backend has no ${name} kernel`);
  const out = kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend: backend as unknown as tf.KernelBackend,
    attrs: attrs as tf.NamedAttrMap,
  });
  if (Array.isArray(out)) throw new Error(`${name} returned several outputs`);
  return out;
}

/** Free intermediates (not tensors the engine handed us). */
export function release(backend: WasmBackendLike, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export type Pads4 = { top: number; bottom: number; left: number; right: number };

/** Plain NHWC convolution through XNNPACK with explicit (non-negative) pads. */
export function conv2d(
  backend: WasmBackendLike,
  x: Info,
  filter: Info,
  strides: [number, number],
  dilations: [number, number],
  pads: Pads4,
): Info {
  const pad = [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]];
  return callWasm('Conv2D', backend, { x, filter }, {
    strides, dilations, pad, dataFormat: 'NHWC', dimRoundingMode: undefined,
  });
}

/** Depthwise NHWC convolution (filter [kh, kw, C, M]) with explicit pads ≥ 0. */
export function depthwiseConv2d(
  backend: WasmBackendLike,
  x: Info,
  filter: Info,
  strides: [number, number],
  dilations: [number, number],
  pads: Pads4,
): Info {
  const pad = [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]];
  return callWasm('DepthwiseConv2dNative', backend, { x, filter }, {
    strides, dilations, pad, dimRoundingMode: undefined,
  });
}

export function transpose(backend: WasmBackendLike, x: Info, perm: number[]): Info {
  return callWasm('Transpose', backend, { x }, { perm });
}

export function reshape(backend: WasmBackendLike, x: Info, shape: number[]): Info {
  return callWasm('Reshape', backend, { x }, { shape });
}

export function padZeros(backend: WasmBackendLike, x: Info, paddings: Array<[number, number]>): Info {
  return callWasm('PadV2', backend, { x }, { paddings, constantValue: 0 });
}

/** x[begin : begin + size], copied heap to heap (never the built-in Slice: see slice.ts). */
export function slice(backend: WasmBackendLike, x: Info, begin: number[], size: number[]): Info {
  return sliceHeap(backend as WasmHeapBackend, x, begin, size);
}

/**
 * XNNPACK takes only non-negative pads. Where a derived convolution needs a
 * negative one (rows the forward pass never read), crop them from the NHWC
 * input instead; returns the input to use (maybe `x` itself) and the pads
 * left to pass, all ≥ 0. The caller releases the result if it is not `x`.
 */
export function cropNegativePads(backend: WasmBackendLike, x: Info, pads: Pads4): { x: Info; pads: Pads4 } {
  const [n, h, w, c] = x.shape;
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  const rest = {
    top: Math.max(0, pads.top),
    bottom: Math.max(0, pads.bottom),
    left: Math.max(0, pads.left),
    right: Math.max(0, pads.right),
  };
  if (cropTop + cropBottom + cropLeft + cropRight === 0) return { x, pads: rest };
  const cropped = slice(backend, x, [0, cropTop, cropLeft, 0], [
    n, h - cropTop - cropBottom, w - cropLeft - cropRight, c,
  ]);
  return { x: cropped, pads: rest };
}
