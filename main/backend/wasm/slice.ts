/**
 * `Slice`, `SplitV` and the contiguous case of `StridedSlice` for the wasm
 * backend, copying heap to heap. The built-ins first copy the *whole* input
 * out of the heap into a fresh JavaScript buffer (`readSync`) on every call,
 * so slicing one chunk of a big tensor costs as much as copying all of it
 * (and split into k pieces costs k whole copies): 60 ms for a 512-row chunk
 * of a 17 MB tensor, against microseconds here. Strings go to the built-ins.
 */
import * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { sliceHeap } from './heapSlice';
import { reshape, type KernelArgs, type WasmHeapBackend } from './kernelOps';

function slice(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  if (x.dtype === 'string') return callBuiltin('Slice', args);
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  return sliceHeap(args.backend as WasmHeapBackend, x, b, s);
}

function splitV(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  if (x.dtype === 'string') return callBuiltin('SplitV', args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[ax] = s;
    const piece = sliceHeap(args.backend as WasmHeapBackend, x, [...begin], size);
    begin[ax] += s;
    return piece;
  });
}

function stridedSlice(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  const a = args.attrs as unknown as {
    begin: number[]; end: number[]; strides: number[];
    beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number;
  };
  const info = tf.slice_util.sliceInfo(
    x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
  const contiguous = !info.isIdentity && (info.sliceDim0 || info.isSimpleSlice);
  if (!contiguous || x.dtype === 'string') return callBuiltin('StridedSlice', args);
  const backend = args.backend as WasmHeapBackend;
  const sliced = sliceHeap(backend, x, info.begin, tf.slice_util.computeOutShape(info.begin, info.end, info.strides));
  const out = reshape(backend, sliced, info.finalShape);
  backend.disposeData(sliced.dataId);
  return out;
}

export const sliceConfig: tf.KernelConfig = {
  kernelName: 'Slice', backendName: 'wasm', kernelFunc: slice as unknown as tf.KernelFunc,
};
export const splitVConfig: tf.KernelConfig = {
  kernelName: 'SplitV', backendName: 'wasm', kernelFunc: splitV as unknown as tf.KernelFunc,
};
export const stridedSliceConfig: tf.KernelConfig = {
  kernelName: 'StridedSlice', backendName: 'wasm', kernelFunc: stridedSlice as unknown as tf.KernelFunc,
};
