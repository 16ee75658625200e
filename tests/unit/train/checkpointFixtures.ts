import * as tf from '@tensorflow/tfjs';
import { compileGraph, type CompiledGraph } from '../../../main/compile/compileGraph';
import type { GraphIR } from '../../../main/core';
import type { HyperParams } from '../../../main/train/protocol';
import { openTrainingData } from '../../../main/train/trainingData';
import { initRandom } from '../../../main/train/trainingRandom';
import { graph, input } from '../core/graphFixtures';

/**
 * A net small enough for the plain-JS cpu backend to take dozens of steps in a second, with
 * every kind of state a resume must restore: conv and head weights, BatchNorm running
 * statistics, and dropout draws.
 */
export const tinyNet: GraphIR = graph(
  [
    input(3, 8, 8),
    { id: 'conv', type: 'Conv2d', params: { outChannels: 4, kernel: 3, padding: 1, bias: false } },
    { id: 'bn', type: 'BatchNorm', params: {} },
    { id: 'relu', type: 'ReLU', params: {} },
    { id: 'drop', type: 'Dropout', params: { rate: 0.3 } },
    { id: 'gap', type: 'GlobalAvgPool', params: {} },
    { id: 'head', type: 'ClassificationHead', params: { classes: 10 } },
  ],
  ['in -> conv', 'conv -> bn', 'bn -> relu', 'relu -> drop', 'drop -> gap', 'gap -> head'],
);

export const tinyHyperParams: HyperParams = { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.01, schedule: 'constant', seed: 11, weightDecay: 0 };

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Compiles with the trainer's seeded initialisation. */
export function compileTiny(seed: number, g: GraphIR = tinyNet): CompiledGraph {
  return initRandom(seed).run(() => compileGraph(g, tf));
}

export function tinyData(trainCount = 12, valCount = 4) {
  return openTrainingData({ kind: 'synthetic', trainCount, valCount, seed: 2 }, [8, 8, 3]);
}

/** tinyNet with two classification heads on the same features (the second at loss weight 0.5): the loss combiner's case. */
export const twoHeadNet: GraphIR = graph(
  [
    ...tinyNet.nodes.filter((n) => n.id !== 'head'),
    { id: 'head_a', type: 'ClassificationHead', params: { classes: 10 } },
    { id: 'head_b', type: 'ClassificationHead', params: { classes: 10, lossWeight: 0.5 } },
  ],
  ['in -> conv', 'conv -> bn', 'bn -> relu', 'relu -> drop', 'drop -> gap', 'gap -> head_a', 'gap -> head_b'],
);
