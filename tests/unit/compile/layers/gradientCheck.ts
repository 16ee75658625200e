import * as tf from '@tensorflow/tfjs';

/**
 * Numerical gradient checks for the custom layers: the analytic gradient (tf.grad /
 * tf.variableGrads, what training uses) against central differences (f(x+h) − f(x−h)) / 2h of the
 * same scalar loss, computed only from forward passes. The loss is Σ layer(x)·R with a fixed
 * random R, so no part of the gradient is trivially zero (as it would be for Σ layer(x) through a
 * normalisation).
 */

/** Float32 differences: h large enough that rounding (~1e-7·|f|/h) stays well under the tolerance. */
export const STEP = 1e-2;
/** Relative error allowed, ‖analytic − numeric‖ / ‖numeric‖ over the checked entries. */
export const TOLERANCE = 1e-2;
/** Entries perturbed per tensor: a fixed random sample keeps big weights cheap. */
const SAMPLES = 24;

export interface GradientCheck {
  name: string;
  /** ‖analytic − numeric‖ / ‖numeric‖ over the sampled entries. */
  relativeError: number;
  /** ‖numeric‖: a check of an all-zero gradient would prove nothing. */
  numericNorm: number;
}

/** A deterministic pseudo-random generator, so every run checks the same entries. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const next = lcg(seed);
  return tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (next() * 2 - 1) * scale), shape);
}

function sampleIndices(size: number, seed: number): number[] {
  if (size <= SAMPLES) return Array.from({ length: size }, (_, i) => i);
  const next = lcg(seed);
  const picked = new Set<number>();
  while (picked.size < SAMPLES) picked.add(Math.floor(next() * size));
  return [...picked];
}

function compare(name: string, analytic: Float32Array | Int32Array | Uint8Array, numeric: Map<number, number>): GradientCheck {
  let diff = 0;
  let norm = 0;
  for (const [i, n] of numeric) {
    diff += (analytic[i] - n) ** 2;
    norm += n ** 2;
  }
  return { name, relativeError: Math.sqrt(diff) / Math.sqrt(norm), numericNorm: Math.sqrt(norm) };
}

/** Central differences of `loss` with respect to sampled entries of `values` (changed in place by `set`). */
function centralDifferences(values: Float32Array, set: (v: Float32Array) => void, loss: () => number, seed: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const i of sampleIndices(values.length, seed)) {
    const original = values[i];
    values[i] = original + STEP;
    set(values);
    const up = loss();
    values[i] = original - STEP;
    set(values);
    const down = loss();
    values[i] = original;
    set(values);
    out.set(i, (up - down) / (2 * STEP));
  }
  return out;
}

/**
 * Checks the gradient of Σ layer(x)·R with respect to the input and every trainable weight of
 * `layer` (built by its first call). `training` is passed to the layer as tfjs-layers does.
 */
export function checkLayerGradients(layer: tf.layers.Layer, x: tf.Tensor, seed = 1, kwargs: Record<string, unknown> = {}): GradientCheck[] {
  const probe = layer.apply(x, kwargs) as tf.Tensor;
  // Its own seed stream: R equal to the input would make L2Normalize's gradient exactly 0 (R ∥ x).
  const weightsOf = randomTensor(probe.shape, 7919 * seed + 104729);
  const lossOf = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, kwargs) as tf.Tensor, weightsOf)) as tf.Scalar;
  const value = (input: tf.Tensor) => tf.tidy(() => lossOf(input).dataSync()[0]);

  const checks: GradientCheck[] = [];
  const dx = tf.grad((input: tf.Tensor) => lossOf(input))(x);
  const xs = x.dataSync().slice() as Float32Array;
  let current = x;
  const numericX = centralDifferences(xs, (v) => (current = tf.tensor(v, x.shape)), () => value(current), seed + 11);
  checks.push(compare('input', dx.dataSync(), numericX));

  for (const [k, weight] of layer.trainableWeights.entries()) {
    const variable = weight.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => lossOf(x), [variable]);
    const analytic = grads[variable.name].dataSync();
    const values = variable.dataSync().slice() as Float32Array;
    const numeric = centralDifferences(values, (v) => variable.assign(tf.tensor(v, variable.shape)), () => value(x), seed + 13 + k);
    checks.push(compare(weight.originalName ?? weight.name, analytic, numeric));
  }
  probe.dispose();
  return checks;
}
