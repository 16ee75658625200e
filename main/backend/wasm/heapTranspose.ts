/**
 * Matrix transposes done on the heap in cache-sized tiles. The wasm
 * backend's Transpose kernel runs a generic N-D index loop (~10–20 ns per
 * element measured on 3-D tensors); a tiled copy is a few ns.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './kernelOps';

const TILE = 32;

/** dst[to + c·rows + r] = src[from + r·cols + c]: one [rows, cols] block transposed. */
export function transposeBlock(
  dst: Float32Array, to: number, src: Float32Array, from: number, rows: number, cols: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[to + c * rows + r] = src[from + r * cols + c];
      }
    }
  }
}

/** x [..., r, c] float32 → [batch, c, r], batch = the product of the leading axes. */
export function transposeLastTwo(backend: WasmHeapBackend, x: tf.TensorInfo): tf.TensorInfo {
  const [r, c] = x.shape.slice(-2);
  const batch = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([batch, c, r], 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  for (let b = 0; b < batch; b++) transposeBlock(dst, b * r * c, src, b * r * c, r, c);
  return out;
}
