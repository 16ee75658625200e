/**
 * The padded input of a strided convolution split into its stride phases,
 * channel-major: phases[p·phasesW + q][c][(n·rows + a)·cols + b] =
 * xpad[n, a·sh + p, b·sw + q, c] (zero outside x). In this layout every filter tap (i, j) of
 * the convolution reads, for each channel, one contiguous run of a phase
 * plane starting at ⌊i/sh⌋·B + ⌊j/sw⌋; that is what lets
 * filterGradByPatches.ts build its patch matrices with plain row copies.
 *
 * One JavaScript pass over the heap: no wasm kernel pads, splits phases and
 * moves channels first at once, and a chain of them (pad, 6-D transpose)
 * costs several passes.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './kernelOps';

export interface PhaseLayout {
  /** Strides: phase (p, q) holds rows a·sh + p and columns b·sw + q. */
  sh: number; sw: number;
  /** Phases built per axis (≤ stride: a 1×1 strided conv reads phase 0 only). */
  phasesH: number; phasesW: number;
  /** Rows and columns of each phase plane. */
  rows: number; cols: number;
  /** Padding before the first row / column of x. */
  top: number; left: number;
}

/** Zero dst[from, to): a loop, as fill() costs more than the few elements of a pad. */
function zero(dst: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) dst[i] = 0;
}

/** x [N, H, W, C] → [phasesH·phasesW, C, N·rows·cols] float32. */
export function channelMajorPhases(backend: WasmHeapBackend, x: tf.TensorInfo, layout: PhaseLayout): tf.TensorInfo {
  const [n, h, w, c] = x.shape;
  const { sh, sw, phasesH, phasesW, rows, cols, top, left } = layout;
  const plane = n * rows * cols;
  const out = backend.makeOutput([phasesH * phasesW, c, plane], 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const step = sw * c;
  for (let p = 0; p < phasesH; p++) {
    for (let q = 0; q < phasesW; q++) {
      const phaseBase = (p * phasesW + q) * c * plane;
      // Columns b of this phase that fall inside x: [bFirst, bEnd).
      const bFirst = Math.min(cols, Math.max(0, Math.ceil((left - q) / sw)));
      const bEnd = Math.min(cols, Math.max(bFirst, Math.ceil((w + left - q) / sw)));
      for (let ni = 0; ni < n; ni++) {
        for (let a = 0; a < rows; a++) {
          const row = a * sh + p - top;
          const runStart = phaseBase + (ni * rows + a) * cols;
          if (row < 0 || row >= h) {
            for (let ch = 0; ch < c; ch++) zero(dst, runStart + ch * plane, runStart + ch * plane + cols);
            continue;
          }
          const first = (ni * h + row) * w * c + (bFirst * sw + q - left) * c;
          for (let ch = 0; ch < c; ch++) {
            const d = runStart + ch * plane;
            zero(dst, d, d + bFirst);
            for (let b = bFirst, s = first + ch; b < bEnd; b++, s += step) dst[d + b] = src[s];
            zero(dst, d + bEnd, d + cols);
          }
        }
      }
    }
  }
  return out;
}
