import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/backend/selectBackend';
import { compileGraph } from '../../../main/compile/compileGraph';
import { trainLoop } from '../../../main/train/trainLoop';
import { openTrainingData } from '../../../main/train/trainingData';
import { loadTemplate } from '../../../main/templates/templateLibrary';

describe('--overfit: the debugging checklist’s "overfit a tiny subset"', () => {
  it('drives train/loss below 0.05 on 32 images with tiny_resnet resized to 32×32', async () => {
    await initBackend({ preferred: 'wasm', threads: 1 });
    const graph = loadTemplate('tiny_resnet');
    graph.nodes[0].params = { channels: 3, height: 32, width: 32 };
    const compiled = compileGraph(graph, tf);
    const data = openTrainingData({ kind: 'synthetic', trainCount: 1000, valCount: 100, seed: 5, overfit: 32 }, [32, 32, 3]);
    expect(data.train.count).toBe(32);
    expect(data.val).toBe(data.train);
    const result = await trainLoop({
      tf,
      compiled,
      graph,
      data,
      hyperParams: { epochs: 40, batchSize: 16, optimizer: 'adam', learningRate: 0.005, schedule: 'constant', seed: 5, weightDecay: 0 },
    });
    expect(result.metrics['train/epoch_loss']).toBeLessThan(0.05);
    expect(result.metrics['val/top1']).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
