import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../main/compile/compileGraph';
import { graph, input } from '../graphFixtures';

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A ViT without attention (the blocks TF.js can already build): patches → MLP → token 0 → Linear → head. */
const patchMlp = (patchSize: number, dim: number, index: number) =>
  graph(
    [
      input(3, 32, 32),
      { id: 'patch', type: 'PatchEmbed', params: { patchSize, dim } },
      { id: 'mlp', type: 'MLP', params: { ratio: 2, dropout: 0.1 } },
      { id: 'tok_fc', type: 'Linear', params: { outFeatures: 12 } },
      { id: 'select', type: 'SelectToken', params: { index } },
      { id: 'head', type: 'ClassificationHead', params: { classes: 5 } },
    ],
    ['in -> patch', 'patch -> mlp', 'mlp -> tok_fc', 'tok_fc -> select', 'select -> head'],
  );

describe('TF.js builds of the ViT blocks agree with shape inference', () => {
  it.each([
    [4, 16, 0],
    [8, 24, 3],
    [16, 8, 1],
  ])('patch=%i dim=%i select=%i: layer shapes and weight counts match', (p, d, index) => {
    const { model, report } = compileGraph(patchMlp(p, d, index), tf);
    for (const node of report.nodes.slice(1)) expect((model.getLayer(node.id).outputShape as number[]).slice(1), node.id).toEqual(node.outShape);
    expect(model.trainableWeights.reduce((n, v) => n + size(v.shape), 0)).toBe(report.totals.params);
    model.dispose();
  });

  it('PatchEmbed orders tokens row by row and SelectToken picks the token it names', () => {
    // 1-channel 4×4 ramp, 2×2 patches, a kernel of ones and dim 1: token k is the sum of patch k.
    const g = graph(
      [input(1, 4, 4), { id: 'patch', type: 'PatchEmbed', params: { patchSize: 2, dim: 1 } }, { id: 'sel', type: 'SelectToken', params: { index: 1 } }],
      ['in -> patch', 'patch -> sel'],
    );
    const { model } = compileGraph(g, tf);
    model.getLayer('patch__conv').setWeights([tf.ones([2, 2, 1, 1]), tf.zeros([1])]);
    const x = tf.range(0, 16).reshape([1, 4, 4, 1]);
    // patch 1 (top right): 2+3+6+7 = 18
    expect((model.predict(x) as tf.Tensor).arraySync()).toEqual([[18]]);
    model.dispose();
  });

  it('a graph with a class token and attention compiles through the engine\'s custom layers', () => {
    const g = graph(
      [input(3, 32, 32), { id: 'patch', type: 'PatchEmbed', params: { patchSize: 8, dim: 16 } }, { id: 'cls', type: 'ClassToken', params: {} }, { id: 'attn', type: 'MultiHeadSelfAttention', params: { heads: 2 } }],
      ['in -> patch', 'patch -> cls', 'cls -> attn'],
    );
    const { model } = compileGraph(g, tf);
    // 16 patch tokens and the class token, D = 16.
    expect((model.getLayer('attn').outputShape as number[]).slice(1)).toEqual([17, 16]);
    model.dispose();
  });
});
