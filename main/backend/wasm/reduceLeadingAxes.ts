/**
 * Sum over the leading axes of a tensor as one XNNPACK matmul:
 * ones[1, R] × x[R, C] where R is the product of the reduced (leading) axes
 * and C of the rest. The wasm Sum/Mean kernels instead transpose the reduced
 * axes to the end first (a 4-D transpose, ~6.5 ns/element): for the
 * per-channel reductions of BatchNorm (axes 0,1,2 of NHWC) that transpose is
 * most of the cost.
 */
import * as tf from '@tensorflow/tfjs';
import { callWasm, release, reshape, type WasmBackendLike } from './kernelOps';

/** The reduced axes as a sorted list if they are exactly 0..k-1 (k < rank). */
export function leadingAxes(shape: number[], axis: number | number[]): number[] | null {
  const rank = shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return null;
  return axes.every((a, i) => a === i) ? axes : null;
}

/** Σ over `axes` (a leading prefix), times `scale`; keepDims as tfjs does. */
export function sumLeadingAxes(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  axes: number[],
  keepDims: boolean,
  scale: number,
): tf.TensorInfo {
  const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
  const kept = x.shape.slice(axes.length);
  const cols = kept.reduce((a, b) => a * b, 1);
  const weights = callWasm('Fill', backend, {}, { shape: [1, 1, rows], value: scale, dtype: 'float32' });
  const x3 = reshape(backend, x, [1, rows, cols]);
  const product = callWasm('BatchMatMul', backend, { a: weights, b: x3 }, { transposeA: false, transposeB: false });
  const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
  const out = reshape(backend, product, outShape);
  release(backend, weights, x3, product);
  return out;
}
