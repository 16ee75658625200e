import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphIR } from '../../../main/core';
import { runFrozenBatchNormInInferenceMode } from '../../../main/train/frozenBatchNorm';
import type { HyperParams } from '../../../main/train/protocol';
import { trainLoop } from '../../../main/train/trainLoop';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, useCpu } from './checkpointFixtures';

beforeAll(useCpu);

const withFrozen = (ids: string[]): GraphIR => ({ ...tinyNet, nodes: tinyNet.nodes.map((n) => (ids.includes(n.id) ? { ...n, frozen: true } : n)) });

/** Every weight of the model by original name, after training `graph` for one epoch (3 steps). */
async function weightsBeforeAndAfter(graph: GraphIR, h: HyperParams = { ...tinyHyperParams, epochs: 1 }) {
  const compiled = compileTiny(h.seed, graph);
  const read = () => new Map(compiled.model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  const before = read();
  await trainLoop({ tf, compiled, graph, data: tinyData(), hyperParams: h });
  const after = read();
  compiled.model.dispose();
  return { before, after };
}

describe('frozen BatchNorm runs in inference mode', () => {
  it('a BN node frozen in the graph keeps its moving mean and variance (and gamma, beta) while the rest trains', async () => {
    const { before, after } = await weightsBeforeAndAfter(withFrozen(['bn']));
    for (const name of ['bn/moving_mean', 'bn/moving_variance', 'bn/gamma', 'bn/beta']) expect(after.get(name), name).toEqual(before.get(name));
    expect(after.get('conv/kernel')).not.toEqual(before.get('conv/kernel'));
    expect(after.get('head/kernel')).not.toEqual(before.get('head/kernel'));
  });

  it('so does a BN node frozen by a learning-rate multiplier of 0', async () => {
    const { before, after } = await weightsBeforeAndAfter(tinyNet, { ...tinyHyperParams, epochs: 1, lrMultipliers: { bn: 0 } });
    expect(after.get('bn/moving_mean')).toEqual(before.get('bn/moving_mean'));
    expect(after.get('bn/moving_variance')).toEqual(before.get('bn/moving_variance'));
    expect(after.get('conv/kernel')).not.toEqual(before.get('conv/kernel'));
  });

  it('while a trainable BN updates its moving statistics (the control)', async () => {
    const { before, after } = await weightsBeforeAndAfter(tinyNet);
    expect(after.get('bn/moving_mean')).not.toEqual(before.get('bn/moving_mean'));
    expect(after.get('bn/moving_variance')).not.toEqual(before.get('bn/moving_variance'));
  });

  it('normalises with the moving statistics: in training mode a frozen BN gives its inference output, and unfreezing it restores batch statistics', () => {
    const compiled = compileTiny(3, withFrozen(['bn']));
    runFrozenBatchNormInInferenceMode(compiled.model);
    runFrozenBatchNormInInferenceMode(compiled.model); // idempotent: wrapping twice changes nothing
    const bn = compiled.model.getLayer('bn');
    // Moving statistics far from any batch's: batch statistics would give a visibly different output.
    bn.setWeights([tf.ones([4]), tf.zeros([4]), tf.fill([4], 3), tf.fill([4], 4)]);
    const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 7);
    const expected = x.sub(3).div(Math.sqrt(4 + 1e-5));
    const frozen = bn.apply(x, { training: true }) as tf.Tensor;
    expect(frozen.sub(expected).abs().max().dataSync()[0]).toBeLessThan(1e-5);
    bn.trainable = true;
    const training = bn.apply(x, { training: true }) as tf.Tensor;
    const batchMean = training.mean([0, 1, 2]).abs().max().dataSync()[0];
    expect(batchMean).toBeLessThan(1e-5);
    compiled.model.dispose();
  });
});
