/**
 * One training step of a template on the current backend: the loss over
 * every output and its gradients with respect to every trainable weight.
 * Shared by templateKernels.test.ts and ad-hoc sweeps.
 *
 * Everything random in a step (weight initialisers, dropout and drop-path
 * masks) is drawn in JavaScript from Math.random, whatever the backend; a
 * seeded Math.random during the step therefore gives the cpu and wasm
 * backends the same weights and masks, so their gradients can be compared.
 */
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../../main/compile/compileGraph';
import { applyOverrides, type GraphIR } from '../../../main/core';
import { loadTemplate } from '../../../main/templates/templateLibrary';
import { randomValues } from './testUtils';

/** A template shrunk for a quick step: small input, 10 classes. */
export function smallTemplate(name: string, input: [number, number, number]): GraphIR {
  return applyOverrides(loadTemplate(name), { input, classes: 10 });
}

/** Why a template does not compile (yet), or null when it does. */
export function compileProblem(graph: GraphIR): string | null {
  try {
    const { model } = compileGraph(graph, tf);
    model.dispose();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

/** Run `fn` with Math.random replaced by a seeded generator. */
async function withSeededRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  let state = seed >>> 0;
  Math.random = () => randomValues(1, (state = (state + 1) >>> 0))[0] * 0.5 + 0.5;
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

/**
 * Softmax cross-entropy on rank-2 outputs (class logits, embeddings), mean
 * squared error on the rest (maps, boxes), summed, so every kind of head
 * puts a gradient through the net.
 */
function loss(outputs: tf.Tensor[], seed: number): tf.Scalar {
  const terms = outputs.map((out, i) => {
    const target = tf.tensor(randomValues(out.size, seed + i), out.shape);
    if (out.rank === 2) return tf.losses.softmaxCrossEntropy(tf.softmax(target.mul(4)), out);
    return tf.losses.meanSquaredError(target, out);
  });
  return tf.addN(terms) as tf.Scalar;
}

export interface StepResult {
  loss: number;
  /** Gradients in the model's trainable-weight order. */
  grads: Array<{ name: string; shape: number[]; values: Float32Array }>;
}

/** One forward/backward pass in training mode (BatchNorm on batch statistics). */
export async function trainingStep(graph: GraphIR, batch: number, seed = 1): Promise<StepResult> {
  return withSeededRandom(seed, async () => {
    const { model } = compileGraph(graph, tf);
    try {
      const inputs = model.inputs.map((inp, i) => {
        const shape = [batch, ...(inp.shape.slice(1) as number[])];
        return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed + 100 + i), shape);
      });
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const out = model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tf.Tensor | tf.Tensor[];
        return loss(Array.isArray(out) ? out : [out], seed + 200);
      }, variables);
      const result: StepResult = {
        loss: (await value.data())[0],
        grads: await Promise.all(variables.map(async (v) => ({
          name: v.name, shape: grads[v.name].shape, values: (await grads[v.name].data()) as Float32Array,
        }))),
      };
      tf.dispose([value, ...Object.values(grads), ...inputs]);
      return result;
    } finally {
      model.dispose();
    }
  });
}
