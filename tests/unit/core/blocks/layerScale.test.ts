import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getBlock } from '../../../../main/core';
import { compileGraph } from '../../../../main/compile/compileGraph';
import { graph, input } from '../graphFixtures';
import { expectShapeError } from './shapeErrorMatch';

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LayerScale', () => {
  const ls = getBlock('LayerScale')!;

  it('defaults to init 1e-6 and rejects unknown keys', () => {
    expect(ls.params.parse({})).toEqual({ init: 1e-6 });
    expect(ls.params.safeParse({ init: 1e-6, dims: 3 }).success).toBe(false);
  });

  it.each([
    [[96, 56, 56], 96],
    [[768, 7, 7], 768],
    [[768], 768],
    [[197, 384], 384],
  ])('%j keeps its shape and has one γ per channel (%i)', (shape, channels) => {
    const p = ls.params.parse({});
    expect(ls.inferShape({ in: [shape] }, p)).toEqual(shape);
    expect(ls.countParams({ in: [shape] }, p)).toEqual({ params: channels, buffers: 0 });
    expect(ls.countFlops({ in: [shape] }, shape, p)).toBe(size(shape));
  });

  it('refuses a scalar or a rank-4 tensor, naming the port', () => {
    const p = ls.params.parse({});
    expect(expectShapeError(() => ls.inferShape({ in: [[]] }, p), 'invalid_shape', 'LayerScale expects').port).toBe('in');
    expectShapeError(() => ls.inferShape({ in: [[2, 3, 4, 5]] }, p), 'invalid_shape', '[2,3,4,5]');
  });

  it('compiles with C weights, initialised to init, and scales each channel of [C,H,W]', () => {
    const g = graph([input(3, 2, 2), { id: 'ls', type: 'LayerScale', params: { init: 0.5 } }], ['in -> ls']);
    const { model, report } = compileGraph(g, tf);
    expect(model.trainableWeights.reduce((n, v) => n + size(v.shape), 0)).toBe(report.totals.params);
    const x = tf.ones([1, 2, 2, 3]);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(new Array(12).fill(0.5));
    model.getLayer('ls').setWeights([tf.tensor([1, 2, 3]).reshape([1, 1, 3, 1])]);
    // NHWC: the channel is the last axis, so every position reads [1, 2, 3].
    expect((model.predict(x) as tf.Tensor).reshape([4, 3]).arraySync()).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    model.dispose();
  });

  it('compiles on vectors and tokens with the shapes and weight counts that inference reports', () => {
    const g = graph(
      [
        input(3, 16, 16),
        { id: 'patch', type: 'PatchEmbed', params: { patchSize: 4, dim: 8 } },
        { id: 'ls_tokens', type: 'LayerScale', params: {} },
        { id: 'select', type: 'SelectToken', params: { index: 0 } },
        { id: 'ls_vector', type: 'LayerScale', params: { init: 2 } },
        { id: 'head', type: 'ClassificationHead', params: { classes: 4 } },
      ],
      ['in -> patch', 'patch -> ls_tokens', 'ls_tokens -> select', 'select -> ls_vector', 'ls_vector -> head'],
    );
    const { model, report } = compileGraph(g, tf);
    for (const node of report.nodes.slice(1)) expect((model.getLayer(node.id).outputShape as number[]).slice(1), node.id).toEqual(node.outShape);
    expect(model.trainableWeights.reduce((n, v) => n + size(v.shape), 0)).toBe(report.totals.params);
    expect(report.nodes.find((n) => n.id === 'ls_tokens')!.params).toBe(8);
    model.dispose();
  });
});
