/**
 * The filters of the input-gradient convolutions, built on the heap in one
 * pass: W flipped in space (tap (i, j) ← (kh−1−i, kw−1−j)) and, for dense
 * convolutions, with its in/out channels swapped. The wasm backend's Reverse
 * and 4-D Transpose took 50–150 ms for a 3072×768 filter (tens of ns per
 * element); block copies and a tiled transpose take a few ns.
 */
import type * as tf from '@tensorflow/tfjs';
import { transposeBlock } from './heapTranspose';
import type { WasmHeapBackend } from './kernelOps';

/** [kh, kw, A, B] → the same, flipped in space. */
export function flipSpatial(backend: WasmHeapBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, a, b] = filter.shape;
  const block = a * b;
  const out = backend.makeOutput(filter.shape, 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(filter) as Float32Array;
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * block;
    dst.set(src.subarray(from, from + block), t * block);
  }
  return out;
}

/** [kh, kw, Cin, Cout] → [kh, kw, Cout, Cin], flipped in space. */
export function flipSpatialSwapChannels(backend: WasmHeapBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const block = cin * cout;
  const out = backend.makeOutput([kh, kw, cout, cin], 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(filter) as Float32Array;
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) transposeBlock(dst, t * block, src, (taps - 1 - t) * block, cin, cout);
  return out;
}
