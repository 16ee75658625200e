import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { compileGraph } from '../../../main/compile/compileGraph';
import { getBlock, type GraphIR } from '../../../main/core';

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
const nhwc = (s: number[]) => (s.length === 3 ? [s[1], s[2], s[0]] : s);

/**
 * Compiles a graph and checks it against shape inference: every output (each port of a
 * multi-output node, in port order) has the inferred shape, symbolically and (with `forward`)
 * on a real batch of 2, and the trainable and non-trainable weight counts equal the inferred
 * params and buffers.
 */
export function expectCompiledMatchesInference(graph: GraphIR, { forward = true } = {}): void {
  const { model, report } = compileGraph(graph, tf);
  const inferred = report.outputs.flatMap((id) => {
    const node = report.nodes.find((n) => n.id === id)!;
    const ports = getBlock(node.type)!.outputs;
    return node.outShapes ? ports.map((port) => node.outShapes![port]) : [node.outShape!];
  });
  expect(model.outputs.map((o) => o.shape.slice(1)), 'symbolic output shapes').toEqual(inferred.map(nhwc));
  const trainable = model.trainableWeights.reduce((n, v) => n + size(v.shape), 0);
  const all = model.weights.reduce((n, v) => n + size(v.shape), 0);
  expect(trainable, 'trainable weights').toBe(report.totals.params);
  expect(all - trainable, 'non-trainable weights').toBe(report.totals.buffers);
  if (!forward) {
    model.dispose();
    return;
  }
  const batch = model.inputs.map((i) => tf.randomNormal([2, ...(i.shape.slice(1) as number[])]));
  const ys = [model.predict(batch.length === 1 ? batch[0] : batch)].flat() as tf.Tensor[];
  expect(ys.map((y) => y.shape.slice(1)), 'computed output shapes').toEqual(inferred.map(nhwc));
  for (const y of ys) expect(Number.isFinite(tf.sum(y).dataSync()[0]), 'finite outputs').toBe(true);
  tf.dispose([...batch, ...ys]);
  model.dispose();
}
