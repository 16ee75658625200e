import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphCompileError, compileGraph } from '../../../main/compile/compileGraph';
import { loadTemplate } from '../../../main/templates/templateLibrary';
import { graph, input } from '../core/graphFixtures';

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('compileGraph', () => {
  it.each(['tiny_resnet', 'resnet18'])('%s: every layer has the shape inference computed, params and buffers match', (name) => {
    const { model, report } = compileGraph(loadTemplate(name), tf);
    for (const node of report.nodes) {
      const layerShape = (model.getLayer(node.id).outputShape as number[]).slice(1);
      const [c, h, w] = node.outShape!;
      expect(layerShape, node.id).toEqual(node.outShape!.length === 3 ? [h, w, c] : node.outShape);
    }
    const trainable = model.trainableWeights.reduce((n, v) => n + size(v.shape), 0);
    const all = model.weights.reduce((n, v) => n + size(v.shape), 0);
    expect(trainable).toBe(report.totals.params);
    expect(all - trainable).toBe(report.totals.buffers);
    model.dispose();
  });

  it('pads explicitly where TF.js "same" would pad unevenly (stride 2 on an even size), exactly like PyTorch', () => {
    // A 1-channel 4x4 ramp, a 3x3 all-ones kernel, stride 2, padding 1: sums of each 3x3 window
    // around (0,0), (0,2), (2,0), (2,2) with one zero row/column on every side.
    const g = graph([input(1, 4, 4), { id: 'c', type: 'Conv2d', params: { outChannels: 1, kernel: 3, stride: 2, padding: 1, bias: false } }], ['in -> c']);
    const { model } = compileGraph(g, tf);
    model.getLayer('c').setWeights([tf.ones([3, 3, 1, 1])]);
    const x = tf.range(0, 16).reshape([1, 4, 4, 1]);
    const y = (model.predict(x) as tf.Tensor).reshape([4]).arraySync();
    // rows 0..1 x cols 0..1: 0+1+4+5 = 10; rows 0..1 x cols 1..3: 1+2+3+5+6+7 = 24;
    // rows 1..3 x cols 0..1: 4+5+8+9+12+13 = 51; rows 1..3 x cols 1..3: 5+6+7+9+10+11+13+14+15 = 90
    expect(y).toEqual([10, 24, 51, 90]);
    model.dispose();
  });

  it('marks frozen nodes not trainable', () => {
    const g = graph(
      [input(3, 8, 8), { id: 'c', type: 'Conv2d', params: { outChannels: 4 }, frozen: true }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'h', type: 'ClassificationHead', params: { classes: 2 } }],
      ['in -> c', 'c -> gap', 'gap -> h'],
    );
    const { model, heads } = compileGraph(g, tf);
    expect(model.getLayer('c').trainable).toBe(false);
    expect(model.trainableWeights.map((w) => w.name)).toEqual(expect.arrayContaining([expect.stringContaining('h')]));
    expect(heads).toEqual([{ node: 'h', outShape: [2], task: 'classification', loss: 'cross_entropy', lossWeight: 1 }]);
    model.dispose();
  });

  it('freezes every layer a block builds, helpers named <id>__<part> included (SqueezeExcite)', () => {
    const g = graph(
      [input(8, 4, 4), { id: 'se', type: 'SqueezeExcite', params: { squeezeChannels: 2 }, frozen: true }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'h', type: 'ClassificationHead', params: { classes: 2 } }],
      ['in -> se', 'se -> gap', 'gap -> h'],
    );
    const { model, report } = compileGraph(g, tf);
    const trainable = model.trainableWeights.reduce((n, v) => n + size(v.shape), 0);
    expect(report.nodes.find((n) => n.id === 'se')!.params).toBe(8 * 2 + 2 + 2 * 8 + 8);
    expect(trainable).toBe(report.totals.trainableParams);
    expect(trainable).toBe(8 * 2 + 2);
    model.dispose();
  });

  it('freezes the engine\'s custom layers too: attention, tokens, and EmbeddingHead\'s <id>__linear helper', () => {
    const g = graph(
      [
        input(3, 8, 8),
        { id: 'patch', type: 'PatchEmbed', params: { patchSize: 4, dim: 8 } },
        { id: 'cls', type: 'ClassToken', params: {}, frozen: true },
        { id: 'pos', type: 'PositionEmbedding', params: {}, frozen: true },
        { id: 'attn', type: 'MultiHeadSelfAttention', params: { heads: 2 }, frozen: true },
        { id: 'sel', type: 'SelectToken', params: {} },
        { id: 'emb', type: 'EmbeddingHead', params: { dim: 4 }, frozen: true },
      ],
      ['in -> patch', 'patch -> cls', 'cls -> pos', 'pos -> attn', 'attn -> sel', 'sel -> emb'],
    );
    const { model, report } = compileGraph(g, tf);
    const trainable = model.trainableWeights.reduce((n, v) => n + size(v.shape), 0);
    // Only PatchEmbed trains: a 4×4×3 → 8 conv with bias.
    expect(trainable).toBe(4 * 4 * 3 * 8 + 8);
    expect(trainable).toBe(report.totals.trainableParams);
    model.dispose();
  });

  it('refuses an invalid graph with every error', () => {
    const g = graph([input(), { id: 'fc', type: 'Linear', params: { outFeatures: 3 } }], ['in -> fc']);
    expect(() => compileGraph(g, tf)).toThrow(GraphCompileError);
    expect(() => compileGraph(g, tf)).toThrow(/fc/);
  });
});
