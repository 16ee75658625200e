import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../main/compile/compileGraph';
import type { GraphIR } from '../../../../main/core';
import { graph, input } from '../../core/graphFixtures';
import { TOLERANCE, checkLayerGradients, randomTensor } from '../layers/gradientCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Node = GraphIR['nodes'][number];

/** One block "x" on a [C,H,W] input. */
const single = (block: Omit<Node, 'id'>, shape: [number, number, number]) => graph([input(...shape), { id: 'x', ...block } as Node], ['in -> x']);

describe('compiled blocks: gradients of the whole compiled model equal central differences', () => {
  it.each([
    ['SqueezeExcite relu/sigmoid', single({ type: 'SqueezeExcite', params: { squeezeChannels: 4 } }, [4, 3, 3])],
    ['SqueezeExcite silu/hardsigmoid', single({ type: 'SqueezeExcite', params: { squeezeChannels: 3, activation: 'silu', gate: 'hardsigmoid' } }, [4, 3, 3])],
    ['Upsample bilinear ×2 on a non-square map', single({ type: 'Upsample', params: { mode: 'bilinear' } }, [2, 2, 3])],
    ['Upsample bilinear to [5,4]', single({ type: 'Upsample', params: { mode: 'bilinear', size: [5, 4] } }, [2, 3, 3])],
    ['SegmentationHead scale 2', single({ type: 'SegmentationHead', params: { classes: 2, scale: 2 } }, [3, 3, 2])],
    ['Conv2d k3 d2 same', single({ type: 'Conv2d', params: { outChannels: 2, dilation: 2 } }, [2, 5, 4])],
    ['GroupNorm 2 groups', single({ type: 'GroupNorm', params: { groups: 2 } }, [4, 3, 2])],
  ] as const)('%s', (_title, g) => {
    const { model } = compileGraph(g, tf);
    const [c, h, w] = [g.nodes[0].params.channels, g.nodes[0].params.height, g.nodes[0].params.width] as number[];
    model.setWeights(model.getWeights().map((v, i) => randomTensor(v.shape, 30 + i, 0.7)));
    for (const check of checkLayerGradients(model, randomTensor([2, h, w, c], 9))) {
      expect(check.numericNorm, check.name).toBeGreaterThan(1e-3);
      expect(check.relativeError, check.name).toBeLessThan(TOLERANCE);
    }
    model.dispose();
  });
});

describe('DropPath', () => {
  it('is the identity at inference', () => {
    const { model } = compileGraph(single({ type: 'DropPath', params: { rate: 0.5 } }, [3, 4, 4]), tf);
    const x = randomTensor([8, 4, 4, 3], 2);
    expect((model.predict(x) as tf.Tensor).arraySync()).toEqual(x.arraySync());
    model.dispose();
  });

  it('while training, the gradient flows through kept samples scaled by 1/(1−rate) and is 0 for dropped ones', () => {
    const rate = 0.25;
    const { model } = compileGraph(single({ type: 'DropPath', params: { rate } }, [2, 3, 3]), tf);
    const x = tf.variable(randomTensor([32, 3, 3, 2], 3));
    const r = randomTensor([32, 3, 3, 2], 4);
    let y: tf.Tensor | undefined;
    // One forward pass gives both the output (which samples were kept) and the gradient.
    const { grads } = tf.variableGrads(() => {
      y = tf.keep(model.apply(x, { training: true }) as tf.Tensor);
      return tf.sum(tf.mul(y, r)) as tf.Scalar;
    }, [x]);
    const out = (y!.arraySync() as number[][][][]).map((s) => s.flat(2));
    const input = (x.arraySync() as number[][][][]).map((s) => s.flat(2));
    const weights = (r.arraySync() as number[][][][]).map((s) => s.flat(2));
    const grad = (grads[x.name].arraySync() as number[][][][]).map((s) => s.flat(2));
    let kept = 0;
    out.forEach((sample, b) => {
      const isKept = sample.some((v) => v !== 0);
      if (isKept) kept++;
      sample.forEach((v, i) => {
        expect(v).toBeCloseTo(isKept ? input[b][i] / (1 - rate) : 0, 5);
        expect(grad[b][i]).toBeCloseTo(isKept ? weights[b][i] / (1 - rate) : 0, 5);
      });
    });
    // 32 draws at p = 0.75: both outcomes occur (the chance that one does not is below 1e-4).
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(32);
    model.dispose();
  });
});
