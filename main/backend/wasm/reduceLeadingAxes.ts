/**
 * Mean (or sum) over the leading axes of a tensor as one XNNPACK average
 * pool: x viewed as [1, R, 1, C] (R = product of the reduced axes, C of the
 * rest) pooled with an R×1 window. The wasm Sum/Mean kernels instead
 * transpose the reduced axes to the end (a 4-D transpose, ~10 ns/element)
 * and then reduce: for BatchNorm's per-channel reductions (axes 0,1,2 of
 * NHWC) that is 15–20 ms per call at batch 32, 64², against ~1 ms here.
 * (A ones-vector matmul was tried first: XNNPACK repacks the big operand as
 * weights on every call, 50 ms.)
 */
import type * as tf from '@tensorflow/tfjs';
import { callWasm, release, reshape, type WasmBackendLike } from './kernelOps';

/** The reduced axes as a sorted list if they are exactly 0..k-1 (k < rank). */
export function leadingAxes(shape: number[], axis: number | number[]): number[] | null {
  const rank = shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return null;
  return axes.every((a, i) => a === i) ? axes : null;
}

/** Mean over `axes` (a leading prefix) times `scale`; keepDims as tfjs does. */
export function meanLeadingAxes(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  axes: number[],
  keepDims: boolean,
  scale: number,
): tf.TensorInfo {
  const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
  const kept = x.shape.slice(axes.length);
  const cols = kept.reduce((a, b) => a * b, 1);
  const scaled = meanOfRows(backend, x, 1, rows, cols, scale);
  const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
  const out = reshape(backend, scaled, outShape);
  release(backend, scaled);
  return out;
}

/**
 * x viewed as [batch, rows, cols] → the mean over rows times `scale`, as
 * [batch, 1, 1, cols] (one average pool with a rows×1 window).
 */
export function meanOfRows(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  batch: number,
  rows: number,
  cols: number,
  scale: number,
): tf.TensorInfo {
  const x4 = reshape(backend, x, [batch, rows, 1, cols]);
  const pooled = callWasm('AvgPool', backend, { x: x4 }, {
    filterSize: [rows, 1], strides: [1, 1], pad: 'valid', dimRoundingMode: undefined,
  });
  release(backend, x4);
  if (scale === 1) return pooled;
  const factor = callWasm('Fill', backend, {}, { shape: [], value: scale, dtype: 'float32' });
  const scaled = callWasm('Multiply', backend, { a: pooled, b: factor });
  release(backend, factor, pooled);
  return scaled;
}
