/**
 * Slicing heap to heap: the copy behind our Slice/SplitV/StridedSlice
 * kernels (slice.ts) and kernelOps' `slice`. See slice.ts for why the
 * built-in is avoided.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './kernelOps';

/** Runs shorter than this are copied element by element (set() has overhead). */
const SHORT_RUN = 16;

/** x[begin : begin + size] (sizes resolved, no -1) as a new tensor. */
export function sliceHeap(backend: WasmHeapBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const count = size.reduce((a, b) => a * b, 1);
  if (count === 0) return out;
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  // The innermost axis k that is not taken whole: each copy is one run of
  // size[k] × (the whole axes after k) contiguous elements.
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === x.shape[k]) k--;
  const run = size[k] * (k + 1 < rank ? strides[k] : 1);
  const index = new Array<number>(k).fill(0);
  let base = 0;
  for (let a = 0; a < rank; a++) base += begin[a] * (a < rank - 1 ? strides[a] : 1);
  for (let o = 0; o < count; o += run) {
    let from = base;
    for (let a = 0; a < k; a++) from += index[a] * strides[a];
    if (run < SHORT_RUN) {
      for (let e = 0; e < run; e++) dst[o + e] = src[from + e];
    } else {
      dst.set(src.subarray(from, from + run), o);
    }
    for (let a = k - 1; a >= 0; a--) {
      if (++index[a] < size[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

