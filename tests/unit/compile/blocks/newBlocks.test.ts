import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../main/compile/compileGraph';
import type { GraphIR } from '../../../../main/core';
import { graph, input } from '../../core/graphFixtures';

type Node = GraphIR['nodes'][number];

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
const nhwc = (s: number[]) => (s.length === 3 ? [s[1], s[2], s[0]] : s);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One block on a given input, as the graph's only output. */
function single(block: Omit<Node, 'id'>, shape: [number, number, number] = [8, 9, 9], before: Node[] = [], edges: string[] = []): GraphIR {
  const nodes = [input(...shape), ...before, { id: 'x', ...block } as Node];
  return graph(nodes, edges.length > 0 ? edges : ['in -> x']);
}

/** A [C,H,W] input turned into tokens [N,D] or a vector [F] first, for blocks that take those. */
const tokens = (block: Omit<Node, 'id'>): GraphIR =>
  graph([input(6, 4, 5), { id: 'r', type: 'Reshape', params: { shape: [-1, 12] } }, { id: 'x', ...block } as Node], ['in -> r', 'r -> x']);
const vector = (block: Omit<Node, 'id'>): GraphIR =>
  graph([input(6, 4, 5), { id: 'f', type: 'Flatten', params: {} }, { id: 'x', ...block } as Node], ['in -> f', 'f -> x']);

const cases: [string, GraphIR][] = [
  ['DepthwiseConv2d k3 s1 same M2', single({ type: 'DepthwiseConv2d', params: { depthMultiplier: 2 } })],
  ['DepthwiseConv2d k3 s2 p1 no bias', single({ type: 'DepthwiseConv2d', params: { stride: 2, padding: 1, bias: false } }, [8, 10, 10])],
  ['SeparableConv2d k5 d2 valid', single({ type: 'SeparableConv2d', params: { outChannels: 3, kernel: 5, dilation: 2, padding: 'valid' } }, [4, 16, 12])],
  ['SeparableConv2d k3 s2 same → 16', single({ type: 'SeparableConv2d', params: { outChannels: 16, stride: 2 } })],
  ['SeparableConv2d k3 p1 M3 no bias', single({ type: 'SeparableConv2d', params: { outChannels: 5, padding: 1, depthMultiplier: 3, bias: false } })],
  ['ConvTranspose2d k2 s2', single({ type: 'ConvTranspose2d', params: { outChannels: 4 } })],
  ['ConvTranspose2d k3 s2 p1 op1', single({ type: 'ConvTranspose2d', params: { outChannels: 4, kernel: 3, padding: 1, outputPadding: 1 } })],
  ['ConvTranspose2d k4 s2 p1', single({ type: 'ConvTranspose2d', params: { outChannels: 3, kernel: 4, padding: 1 } })],
  ['ConvTranspose2d k1 s3 op2 (K<S, pads)', single({ type: 'ConvTranspose2d', params: { outChannels: 3, kernel: 1, stride: 3, outputPadding: 2 } })],
  ['ConvTranspose2d k3 s1 p1 no bias', single({ type: 'ConvTranspose2d', params: { outChannels: 2, kernel: 3, stride: 1, padding: 1, bias: false } })],
  ['AvgPool k2 s2', single({ type: 'AvgPool', params: {} })],
  ['AvgPool k3 s2 p1', single({ type: 'AvgPool', params: { kernel: 3, stride: 2, padding: 1 } })],
  ['AvgPool k3 s1 same', single({ type: 'AvgPool', params: { kernel: 3, stride: 1, padding: 'same' } })],
  ...['ReLU6', 'LeakyReLU', 'SiLU', 'GELU', 'HardSwish', 'HardSigmoid', 'Sigmoid', 'Tanh', 'Softmax'].flatMap((t): [string, GraphIR][] => [
    [`${t} on [C,H,W]`, single({ type: t, params: {} })],
    [`${t} on tokens [N,D]`, tokens({ type: t, params: {} })],
  ]),
  ['LayerNorm channels on [C,H,W]', single({ type: 'LayerNorm', params: {} })],
  ['LayerNorm channels on tokens', tokens({ type: 'LayerNorm', params: { eps: 1e-6 } })],
  ['LayerNorm channels on a vector', vector({ type: 'LayerNorm', params: {} })],
  ['LayerNorm all on [C,H,W]', single({ type: 'LayerNorm', params: { normalizedShape: 'all' } })],
  ['Flatten [C,H,W]', single({ type: 'Flatten', params: {} })],
  ['Reshape [C,H,W] → [C,H·W]', single({ type: 'Reshape', params: { shape: [8, -1] } })],
  ['Reshape [C,H,W] → [2C,H,W/… ]', single({ type: 'Reshape', params: { shape: [16, 3, -1] } }, [8, 6, 4])],
  ['Permute [C,H,W] → [H,W,C]', single({ type: 'Permute', params: { dims: [1, 2, 0] } }, [8, 5, 7])],
  ['Permute tokens [N,D] → [D,N]', tokens({ type: 'Permute', params: { dims: [1, 0] } })],
  ['Dropout 0.2', single({ type: 'Dropout', params: { rate: 0.2 } })],
  ['DropPath 0.1', single({ type: 'DropPath', params: {} })],
  ['Upsample ×2 nearest', single({ type: 'Upsample', params: {} })],
  ['Upsample ×3 bilinear', single({ type: 'Upsample', params: { scale: 3, mode: 'bilinear' } })],
  ['Upsample size [18,27] nearest', single({ type: 'Upsample', params: { size: [18, 27] } })],
  ['Upsample size [20,13] bilinear (not a multiple)', single({ type: 'Upsample', params: { size: [20, 13], mode: 'bilinear' } })],
  ['Upsample size [13,20] nearest (not a multiple)', single({ type: 'Upsample', params: { size: [13, 20] } })],
  ['DepthwiseConv2d k5 d2 valid', single({ type: 'DepthwiseConv2d', params: { kernel: 5, dilation: 2, padding: 'valid' } }, [4, 16, 12])],
  ['DepthwiseConv2d k3 d3 same M2', single({ type: 'DepthwiseConv2d', params: { dilation: 3, depthMultiplier: 2 } }, [4, 16, 12])],
  ['Conv2d k3 d2 p2 s2', single({ type: 'Conv2d', params: { outChannels: 5, dilation: 2, padding: 2, stride: 2 } }, [4, 15, 12])],
  ['SqueezeExcite relu/sigmoid S=2', single({ type: 'SqueezeExcite', params: { squeezeChannels: 2 } })],
  ['SqueezeExcite silu/hardsigmoid S=4', single({ type: 'SqueezeExcite', params: { squeezeChannels: 4, activation: 'silu', gate: 'hardsigmoid' } })],
  [
    'Concat channels 8+4',
    single({ type: 'Concat', params: {} }, [8, 9, 9], [{ id: 'c', type: 'Conv2d', params: { outChannels: 4 } }], ['in -> c', 'in -> x', 'c -> x']),
  ],
  [
    'Concat width (axis −1)',
    single({ type: 'Concat', params: { axis: -1 } }, [8, 9, 9], [{ id: 'p', type: 'AvgPool', params: { kernel: 1, stride: 1 } }], ['in -> p', 'in -> x', 'p -> x']),
  ],
  [
    'Multiply by a [C] gate',
    single({ type: 'Multiply', params: {} }, [8, 9, 9], [{ id: 'g', type: 'GlobalAvgPool', params: {} }], ['in -> g', 'in -> x', 'g -> x']),
  ],
  [
    'Multiply by a [C,1,1] gate',
    single({ type: 'Multiply', params: {} }, [8, 9, 9], [{ id: 'g', type: 'AvgPool', params: { kernel: 9, stride: 9 } }], ['in -> g', 'g -> x', 'in -> x']),
  ],
];

describe('new blocks compile to TF.js with the shapes and weights inference reports', () => {
  it.each(cases)('%s', (_title, g) => {
    const { model, report } = compileGraph(g, tf);
    expect(report.ok).toBe(true);
    const byId = new Map(report.nodes.map((n) => [n.id, n]));
    // The graph's single output is block "x"; its tensor and its named layer carry the NHWC-mapped shape.
    expect(report.outputs).toEqual(['x']);
    const outShape = byId.get('x')!.outShape!;
    expect((model.outputs[0].shape as number[]).slice(1)).toEqual(nhwc(outShape));
    expect((model.getLayer('x').outputShape as number[]).slice(1)).toEqual(nhwc(outShape));
    const trainable = model.trainableWeights.reduce((n, v) => n + size(v.shape), 0);
    const all = model.weights.reduce((n, v) => n + size(v.shape), 0);
    expect(trainable).toBe(report.totals.params);
    expect(all - trainable).toBe(report.totals.buffers);
    const y = model.predict(tf.randomNormal([2, ...nhwc([g.nodes[0].params.channels, g.nodes[0].params.height, g.nodes[0].params.width] as number[])])) as tf.Tensor;
    expect(y.shape.slice(1)).toEqual(nhwc(outShape));
    expect(Number.isFinite(y.sum().dataSync()[0])).toBe(true);
    model.dispose();
  });
});
