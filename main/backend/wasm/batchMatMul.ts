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
 * But XNNPACK packs b on every product (b changes every call), so where
 * few rows of a share it (a dense layer's dx at batch 2) the built-in loop
 * is faster; `xnnpackPays` decides with a cost model measured on this
 * backend. Other dtypes and mixed broadcasts go to the built-in.
 */
import type * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { transposeLastTwo } from './heapTranspose';
import { callWasm, release, reshape, slice, type KernelArgs, type WasmBackendLike, type WasmHeapBackend } from './kernelOps';

/** Measured costs (ns; tests/bench/backendMatMul.ts), for choosing a path. */
const COST = {
  builtinPerMac: 0.75,
  xnnpackPerMac: 0.05,
  packedPerElement: 15,
  perProduct: 80_000,
  transposedPerElement: 3,
};

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether our reduction to plain XNNPACK products beats the built-in loop. */
function xnnpackPays(
  products: number, batch: number, m: number, k: number, n: number, transposed: number,
): boolean {
  const macs = batch * m * k * n;
  const ours = transposed * COST.transposedPerElement + products * (COST.perProduct + k * n * COST.packedPerElement) + macs * COST.xnnpackPerMac;
  return ours < macs * COST.builtinPerMac;
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
  const transposed = (transposeA ? size(a.shape) : 0) + (transposeB ? size(b.shape) : 0);
  if (alreadyFast || !sameOrSharedB || a.dtype !== 'float32' || b.dtype !== 'float32'
    || !xnnpackPays(batchB, batchA, m, k, n, transposed)) {
    return callBuiltin('BatchMatMul', args);
  }
  return matMulByProducts(backend as WasmHeapBackend, a, b, transposeA, transposeB);
}

/**
 * a·b (with the transposes) as plain XNNPACK products: transposes made
 * explicit, a shared b's batch folded into a's rows, else one product per
 * batch entry. Requires float32 and batch(b) = 1 or batch(a).
 */
export function matMulByProducts(
  backend: WasmHeapBackend, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean,
): tf.TensorInfo {
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
  const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const outBatchShape = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2);
  const a3 = transposeA ? transposeLastTwo(backend, a) : reshape(backend, a, [batchA, m, k]);
  const b3 = transposeB ? transposeLastTwo(backend, b) : reshape(backend, b, [batchB, k, n]);
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
