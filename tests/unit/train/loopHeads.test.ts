import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphIR } from '../../../main/core';
import { shuffledOrder } from '../../../main/train/batches';
import type { HyperParams } from '../../../main/train/protocol';
import { trainLoop, type MetricRow } from '../../../main/train/trainLoop';
import { TrainingInputError } from '../../../main/train/trainingErrors';
import { graph, input } from '../core/graphFixtures';
import { compileTiny, tinyData, tinyHyperParams, twoHeadNet, useCpu } from './checkpointFixtures';

beforeAll(useCpu);

/** No dropout and no BatchNorm: a training-mode forward pass is the inference one, so the first loss can be worked out. */
const plainNet = (headParams: Record<string, unknown> = {}): GraphIR =>
  graph(
    [
      input(3, 8, 8),
      { id: 'conv', type: 'Conv2d', params: { outChannels: 4, kernel: 3, padding: 1 } },
      { id: 'relu', type: 'ReLU', params: {} },
      { id: 'gap', type: 'GlobalAvgPool', params: {} },
      { id: 'head', type: 'ClassificationHead', params: { classes: 10, ...headParams } },
    ],
    ['in -> conv', 'conv -> relu', 'relu -> gap', 'gap -> head'],
  );

async function rowsOf(g: GraphIR, h: HyperParams): Promise<Map<string, number>> {
  const compiled = compileTiny(h.seed, g);
  const rows: MetricRow[] = [];
  try {
    await trainLoop({ tf, compiled, graph: g, data: tinyData(), hyperParams: h, onMetrics: (r) => rows.push(...r) });
  } finally {
    compiled.model.dispose();
  }
  return new Map(rows.map((r) => [`${r.name}@${r.name.startsWith('val/') || r.name === 'train/top1' || r.name === 'train/epoch_loss' ? `e${r.epoch}` : r.step}`, r.value]));
}

/** The first step's loss worked out from the untrained model's logits: mean over the batch of −Σ q·log softmax, q smoothed. */
function firstStepLoss(g: GraphIR, h: HyperParams, smoothing: number): number {
  const compiled = compileTiny(h.seed, g);
  const data = tinyData();
  const first = shuffledOrder(data.train.count, h.seed, 0).slice(0, h.batchSize).map((i) => data.train.sample(i));
  const x = tf.tensor4d(first.flatMap((s) => Array.from(s.pixels)), [first.length, 8, 8, 3]);
  const logits = (compiled.model.predict(x) as tf.Tensor).arraySync() as number[][];
  compiled.model.dispose();
  x.dispose();
  const losses = logits.map((row, i) => {
    const max = Math.max(...row);
    const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    return -row.reduce((s, v, k) => s + ((k === first[i].label ? 1 - smoothing : 0) + smoothing / row.length) * (v - logSum), 0);
  });
  return losses.reduce((a, b) => a + b, 0) / losses.length;
}

describe('the loss of the classification head', () => {
  const h: HyperParams = { ...tinyHyperParams, epochs: 1 };

  it.each([
    ['no smoothing', {}, undefined, 0],
    ['the run’s --label-smoothing', {}, 0.1, 0.1],
    ['the head’s own labelSmoothing', { labelSmoothing: 0.2 }, undefined, 0.2],
    ['the run’s, over the head’s', { labelSmoothing: 0.2 }, 0.05, 0.05],
  ])('%s: the first step’s train/loss is the smoothed cross-entropy of the initial logits', async (_what, headParams, labelSmoothing, smoothing) => {
    const g = plainNet(headParams);
    const run = { ...h, ...(labelSmoothing === undefined ? {} : { labelSmoothing }) };
    const rows = await rowsOf(g, run);
    expect(rows.get('train/loss@0')).toBeCloseTo(firstStepLoss(g, run, smoothing), 5);
    expect(rows.get('train/loss/head@0')).toBe(rows.get('train/loss@0'));
  });
});

describe('several heads', () => {
  it('fixed weighting: train/loss is Σ weight·loss over the heads each step, and val/loss the same sum of their val losses', async () => {
    const rows = await rowsOf(twoHeadNet, tinyHyperParams);
    for (let step = 0; step < 9; step++) {
      expect(rows.get(`train/loss@${step}`)).toBeCloseTo(rows.get(`train/loss/head_a@${step}`)! + 0.5 * rows.get(`train/loss/head_b@${step}`)!, 5);
      expect(rows.has(`train/loss_weight/head_a@${step}`)).toBe(false);
    }
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(rows.get(`val/loss@e${epoch}`)).toBeCloseTo(rows.get(`val/loss/head_a@e${epoch}`)! + 0.5 * rows.get(`val/loss/head_b@e${epoch}`)!, 5);
    }
  });

  it('uncertainty weighting: each step minimises Σ exp(−s)·loss + s with the s logged after the step before, and the weights move', async () => {
    const rows = await rowsOf(twoHeadNet, { ...tinyHyperParams, lossWeighting: 'uncertainty' });
    const weightBefore = (head: string, step: number) => (step === 0 ? 1 : rows.get(`train/loss_weight/${head}@${step - 1}`)!);
    for (let step = 0; step < 9; step++) {
      const expected = ['head_a', 'head_b'].reduce((sum, head) => sum + weightBefore(head, step) * rows.get(`train/loss/${head}@${step}`)! - Math.log(weightBefore(head, step)), 0);
      expect(rows.get(`train/loss@${step}`)).toBeCloseTo(expected, 4);
    }
    expect(rows.get('train/loss_weight/head_a@8')).not.toBe(1);
  });

  it('a head of a task the trainer cannot train yet is refused, naming the head and its task', async () => {
    const withEmbedding = graph(
      [...twoHeadNet.nodes.filter((n) => n.id !== 'head_b'), { id: 'emb', type: 'EmbeddingHead', params: { dim: 8 } }],
      ['in -> conv', 'conv -> bn', 'bn -> relu', 'relu -> drop', 'drop -> gap', 'gap -> head_a', 'gap -> emb'],
    );
    const compiled = compileTiny(1, withEmbedding);
    const attempt = trainLoop({ tf, compiled, graph: withEmbedding, data: tinyData(), hyperParams: tinyHyperParams });
    await expect(attempt).rejects.toThrow(TrainingInputError);
    await expect(trainLoop({ tf, compiled, graph: withEmbedding, data: tinyData(), hyperParams: tinyHyperParams })).rejects.toThrow(
      /head "emb" \(EmbeddingHead, task embedding, loss \w+\) cannot be trained yet/,
    );
    compiled.model.dispose();
  });
});
