/**
 * `UnsortedSegmentSum` for the wasm backend, which has none; it is the
 * gradient of `gather` (embedding lookups, token selection). out[s] is the
 * sum of the rows x[r] whose segment id is s; ids outside [0, numSegments)
 * contribute nothing (as on the cpu backend, where they match no segment).
 *
 * A scatter-add has no XNNPACK kernel, so this is one pass over the rows on
 * the heap's typed arrays: O(x) work, against the cpu backend's
 * numSegments × |x| masks.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelArgs, WasmHeapBackend } from './kernelOps';

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  const idCount = segmentIds.shape.reduce((a, b) => a * b, 1);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  const outValues = backend.typedArrayFromHeap(out);
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  outValues.fill(0);
  for (let r = 0; r < idCount; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const from = r * rowSize;
    const to = s * rowSize;
    for (let k = 0; k < rowSize; k++) outValues[to + k] += xValues[from + k];
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
