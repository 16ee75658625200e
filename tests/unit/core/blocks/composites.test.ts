import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getBlock, inferGraph, type GraphIR } from '../../../../main/core';
import { compileGraph } from '../../../../main/compile/compileGraph';
import { loadTemplate } from '../../../../main/templates/templateLibrary';
import { graph, input } from '../graphFixtures';

/** The ResNet stem, then the given blocks in a chain, then pooling and a 1000-class head. */
function resnetFrom(blocks: [string, Record<string, unknown>][]): GraphIR {
  const nodes: GraphIR['nodes'] = [
    { id: 'input', type: 'Input', params: { channels: 3, height: 224, width: 224 } },
    { id: 'stem_conv', type: 'Conv2d', params: { outChannels: 64, kernel: 7, stride: 2, padding: 3, bias: false } },
    { id: 'stem_bn', type: 'BatchNorm', params: {} },
    { id: 'stem_relu', type: 'ReLU', params: {} },
    { id: 'stem_pool', type: 'MaxPool', params: { kernel: 3, stride: 2, padding: 1 } },
    ...blocks.map(([type, params], i) => ({ id: `block${i}`, type, params })),
    { id: 'pool', type: 'GlobalAvgPool', params: {} },
    { id: 'head', type: 'ClassificationHead', params: { classes: 1000 } },
  ];
  const edges = nodes.slice(1).map((n, i) => ({ from: { node: nodes[i].id, port: 'out' }, to: { node: n.id, port: 'in' } }));
  return { version: 1, name: 'composed', nodes, edges, meta: {} };
}

const stageStride = (stage: number, i: number) => (i === 0 && stage > 0 ? 2 : 1);

describe('composite blocks', () => {
  it('ResNet-18 from eight BasicBlocks has the published 11,689,512 params and the flat template’s FLOPs', () => {
    const blocks = [64, 128, 256, 512].flatMap((c, s) => [0, 1].map((i) => ['BasicBlock', { outChannels: c, stride: stageStride(s, i) }] as [string, Record<string, unknown>]));
    const report = inferGraph(resnetFrom(blocks));
    expect(report.errors).toEqual([]);
    expect(report.totals.params).toBe(11_689_512);
    expect(report.totals.flops).toBe(inferGraph(loadTemplate('resnet18')).totals.flops);
    expect(report.nodes.find((n) => n.id === 'block2')!.outShape).toEqual([128, 28, 28]);
  });

  it('ResNet-50 from sixteen Bottlenecks has the published 25,557,032 params', () => {
    const blocks = [3, 4, 6, 3].flatMap((depth, s) =>
      Array.from({ length: depth }, (_, i) => ['Bottleneck', { width: 64 * 2 ** s, stride: stageStride(s, i) }] as [string, Record<string, unknown>]),
    );
    const report = inferGraph(resnetFrom(blocks));
    expect(report.errors).toEqual([]);
    expect(report.totals.params).toBe(25_557_032);
    expect(report.nodes.at(-2)!.outShape).toEqual([2048]);
  });

  it.each([
    // in, out, stride → params: two 3×3 convs + two BNs, plus a 1×1 conv + BN when the shape changes
    [64, 64, 1, 2 * 9 * 64 * 64 + 4 * 64],
    [64, 128, 2, 9 * 64 * 128 + 9 * 128 * 128 + 4 * 128 + 64 * 128 + 2 * 128],
    [32, 32, 2, 2 * 9 * 32 * 32 + 4 * 32 + 32 * 32 + 2 * 32],
  ])('BasicBlock %i→%i stride %i has %i params', (cin, cout, stride, params) => {
    const block = getBlock('BasicBlock')!;
    const p = block.params.parse({ outChannels: cout, stride });
    expect(block.countParams({ in: [[cin, 16, 16]] }, p).params).toBe(params);
    expect(block.inferShape({ in: [[cin, 16, 16]] }, p)).toEqual([cout, 16 / stride, 16 / stride]);
  });

  it('an error inside a composite names the composite node and the inner block', () => {
    const g = graph([input(3, 8, 8), { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'blk', type: 'BasicBlock', params: { outChannels: 4 } }], ['in -> gap', 'gap -> blk']);
    const error = inferGraph(g).errors[0];
    expect(error.node).toBe('blk');
    expect(error.message).toMatch(/BasicBlock "blk": inside BasicBlock: Conv2d "a_conv"/);
  });

  describe('compiled', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });

    it('builds the subgraph’s layers, named <node>.<inner>, with the inferred shapes and weights', () => {
      const g = graph(
        [input(8, 16, 16), { id: 'blk', type: 'BasicBlock', params: { outChannels: 16, stride: 2 } }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'h', type: 'ClassificationHead', params: { classes: 3 } }],
        ['in -> blk', 'blk -> gap', 'gap -> h'],
      );
      const { model, report } = compileGraph(g, tf);
      expect(model.getLayer('blk.down_conv').outputShape).toEqual([null, 8, 8, 16]);
      expect(model.getLayer('blk.relu').outputShape).toEqual([null, 8, 8, 16]);
      const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
      expect(count(model.trainableWeights)).toBe(report.totals.params);
      expect(count(model.weights) - count(model.trainableWeights)).toBe(report.totals.buffers);
      model.dispose();
    });

    it.each([
      ['InvertedResidual', { outChannels: 16, expandRatio: 4, kernel: 5, activation: 'hardswish', se: 'expanded', seGate: 'hardsigmoid' }],
      ['ConvNeXtBlock', {}],
      ['ASPP', { outChannels: 8, rates: [2] }],
    ])('%s compiles to layers with the inferred output shape and weight count', (type, params) => {
      const g = graph([input(16, 8, 8), { id: 'blk', type, params }], ['in -> blk']);
      const { model, report } = compileGraph(g, tf);
      const out = report.nodes.find((n) => n.id === 'blk')!.outShape!;
      expect(model.outputs[0].shape).toEqual([null, out[1], out[2], out[0]]);
      const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
      expect(count(model.trainableWeights)).toBe(report.totals.params);
      model.dispose();
    });

    it('freezes a frozen composite’s inner layers', () => {
      const g = graph(
        [input(8, 8, 8), { id: 'blk', type: 'BasicBlock', params: { outChannels: 8 }, frozen: true }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'h', type: 'ClassificationHead', params: { classes: 3 } }],
        ['in -> blk', 'blk -> gap', 'gap -> h'],
      );
      const { model } = compileGraph(g, tf);
      expect(model.trainableWeights.map((w) => w.originalName.split('/')[0])).toEqual(['h', 'h']);
      model.dispose();
    });
  });
});
