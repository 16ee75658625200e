/**
 * `BatchMatMul` for the wasm backend. The built-in runs XNNPACK only for one
 * un-transposed [M,K]·[K,N] product; with a transpose flag or a batch > 1 it
 * falls back to a scalar loop (1–4 GFLOP/s against ~40 on one thread). Every
 * dense layer's gradient uses the flags (dA = dC·Bᵀ, dB = Aᵀ·dC) and
 * attention multiplies batches (Q·Kᵀ per head), so we reduce every case to
 * plain products:
 *  - a transpose flag → an explicit transpose first (a memory pass, much
 *    cheaper than the slow loop);
 *  - b shared by the batch (a dense layer on [B, T, D]) → the batch folded
 *    into a's rows, one product;
 *  - batched b → one product per batch entry, concatenated.
 * Tiny products (where the built-in's loop wins over our overheads), other
 * dtypes and mixed broadcasts go to the built-in.
 */
import type * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { callWasm, release, reshape, slice, transpose, type KernelArgs, type WasmBackendLike } from './kernelOps';

/** Below this many multiply-adds per product the built-in loop is as fast. */
const MIN_MACS_PER_PRODUCT = 32 * 32 * 32;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** x [..., r, c] → [batch, c, r] (its last two axes swapped, batch flattened). */
function transposedLast(backend: WasmBackendLike, x: tf.TensorInfo, batch: number): tf.TensorInfo {
  const [r, c] = x.shape.slice(-2);
  const x3 = reshape(backend, x, [batch, r, c]);
  const t = transpose(backend, x3, [0, 2, 1]);
  release(backend, x3);
  return t;
}

/** The built-in's fast case: [1, M, K] · [1, K, N]. */
export function plainMatMul(backend: WasmBackendLike, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  return callBuiltin('BatchMatMul', {
    inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
}

function batchMatMul(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
  const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const alreadyFast = !transposeA && !transposeB && batchA === 1 && batchB === 1;
  const sameOrSharedB = batchB === 1 || batchA === batchB;
  if (alreadyFast || !sameOrSharedB || a.dtype !== 'float32' || b.dtype !== 'float32' || m * n * k < MIN_MACS_PER_PRODUCT) {
    return callBuiltin('BatchMatMul', args);
  }
  const outBatchShape = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2);
  const a3 = transposeA ? transposedLast(backend, a, batchA) : reshape(backend, a, [batchA, m, k]);
  const b3 = transposeB ? transposedLast(backend, b, batchB) : reshape(backend, b, [batchB, k, n]);
  let out: tf.TensorInfo;
  if (batchB === 1) {
    const rows = reshape(backend, a3, [1, batchA * m, k]);
    const product = plainMatMul(backend, rows, b3);
    out = reshape(backend, product, [...outBatchShape, m, n]);
    release(backend, rows, product);
  } else {
    const products: tf.TensorInfo[] = [];
    for (let i = 0; i < batchB; i++) {
      const ai = slice(backend, a3, [i, 0, 0], [1, m, k]);
      const bi = slice(backend, b3, [i, 0, 0], [1, k, n]);
      products.push(plainMatMul(backend, ai, bi));
      release(backend, ai, bi);
    }
    const joined = callWasm('Concat', backend, products, { axis: 0 });
    out = reshape(backend, joined, [...outBatchShape, m, n]);
    release(backend, joined, ...products);
  }
  release(backend, a3, b3);
  return out;
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as tf.KernelFunc,
};
