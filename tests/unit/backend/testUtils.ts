/**
 * Shared helpers for the backend differential tests: run the same kernel on
 * the `cpu` backend (the reference) and on `wasm` (ours) and compare.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';

/** Deterministic pseudo-random values in [-1, 1) (mulberry32). */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let a = seed >>> 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export type TensorSpec = { shape: number[]; seed: number };

/** Run `fn` on `backend` with fresh tensors built from `specs`; returns values. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  specs: Record<string, TensorSpec>,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  const out = tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, s] of Object.entries(specs)) {
      tensors[name] = tf.tensor(randomValues(s.shape.reduce((a, b) => a * b, 1), s.seed), s.shape);
    }
    return fn(tensors);
  });
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  return { shape, values };
}

/** |ours − cpu| ≤ 1e-4 · max(1, |cpu|) element-wise, same shape. */
export function expectClose(
  ours: { shape: number[]; values: Float32Array },
  ref: { shape: number[]; values: Float32Array },
): void {
  expect(ours.shape).toEqual(ref.shape);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < ref.values.length; i++) {
    const excess = Math.abs(ours.values[i] - ref.values[i]) / Math.max(1, Math.abs(ref.values[i]));
    if (!(excess <= worst)) {
      worst = excess;
      worstAt = i;
    }
  }
  expect(worst, `worst relative error at flat index ${worstAt}`).toBeLessThanOrEqual(1e-4);
}
