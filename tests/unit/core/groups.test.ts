import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expandGroups, inferGraph, type GraphIR, type GroupDefinition } from '../../../main/core';
import { compileGraph } from '../../../main/compile/compileGraph';
import { graph, input } from './graphFixtures';

const edge = (from: string, to: string, toPort = 'in') => ({ from: { node: from, port: 'out' }, to: { node: to, port: toPort } });

/** conv3x3 → BN → ReLU → conv3x3 → BN, plus the identity, then ReLU: a BasicBlock without projection. */
const residual: GroupDefinition = {
  doc: 'Residual block',
  nodes: [
    { id: 'x', type: 'GroupInput', params: { port: 'in' } },
    { id: 'conv_a', type: 'Conv2d', params: { outChannels: 8, bias: false } },
    { id: 'bn_a', type: 'BatchNorm', params: {} },
    { id: 'relu_a', type: 'ReLU', params: {} },
    { id: 'conv_b', type: 'Conv2d', params: { outChannels: 8, bias: false } },
    { id: 'bn_b', type: 'BatchNorm', params: {} },
    { id: 'add', type: 'Add', params: {} },
    { id: 'relu', type: 'ReLU', params: {} },
    { id: 'y', type: 'GroupOutput', params: { port: 'out' } },
  ],
  edges: [edge('x', 'conv_a'), edge('conv_a', 'bn_a'), edge('bn_a', 'relu_a'), edge('relu_a', 'conv_b'), edge('conv_b', 'bn_b'), edge('bn_b', 'add'), edge('x', 'add'), edge('add', 'relu'), edge('relu', 'y')],
};

function withGroups(nodes: GraphIR['nodes'], edges: string[], groups: Record<string, GroupDefinition> = { residual }): GraphIR {
  return { ...graph(nodes, edges), groups };
}

const twoBlocks = withGroups(
  [
    input(8, 16, 16),
    { id: 'b1', type: 'Group', params: { ref: 'residual' } },
    { id: 'b2', type: 'Group', params: { ref: 'residual' } },
    { id: 'gap', type: 'GlobalAvgPool', params: {} },
    { id: 'head', type: 'ClassificationHead', params: { classes: 4 } },
  ],
  ['in -> b1', 'b1 -> b2', 'b2 -> gap', 'gap -> head'],
);

describe('groups (user composite blocks)', () => {
  it('are reported as one node each, with the totals of their contents and the shape of their output', () => {
    const report = inferGraph(twoBlocks);
    expect(report.errors).toEqual([]);
    expect(report.nodes.map((n) => [n.id, n.outShape])).toEqual([
      ['in', [8, 16, 16]],
      ['b1', [8, 16, 16]],
      ['b2', [8, 16, 16]],
      ['gap', [8]],
      ['head', [4]],
    ]);
    const blockParams = 2 * (9 * 8 * 8) + 2 * (2 * 8); // two convs without bias, two BNs
    expect(report.nodes[1]).toMatchObject({ type: 'Group', params: blockParams, buffers: 2 * 2 * 8 });
    expect(report.totals.params).toBe(2 * blockParams + 8 * 4 + 4);
  });

  it('expand to plain blocks with ids <group>.<inner>, keeping the input order of Add', () => {
    const { graph: flat, errors } = expandGroups(twoBlocks);
    expect(errors).toEqual([]);
    expect(flat.nodes.map((n) => n.id)).toContain('b2.conv_a');
    expect(flat.nodes.some((n) => n.type.startsWith('Group'))).toBe(false);
    const intoAdd = flat.edges.filter((e) => e.to.node === 'b2.add').map((e) => e.from.node);
    expect(intoAdd).toEqual(['b2.bn_b', 'b1.relu']);
    expect(flat.edges.filter((e) => e.to.node === 'b1.conv_a').map((e) => e.from.node)).toEqual(['in']);
  });

  it('nest: a group of groups has the same totals as its flat equivalent', () => {
    const pair: GroupDefinition = {
      nodes: [
        { id: 'i', type: 'GroupInput', params: { port: 'in' } },
        { id: 'r1', type: 'Group', params: { ref: 'residual' } },
        { id: 'r2', type: 'Group', params: { ref: 'residual' } },
        { id: 'o', type: 'GroupOutput', params: { port: 'out' } },
      ],
      edges: [edge('i', 'r1'), edge('r1', 'r2'), edge('r2', 'o')],
    };
    const nested = withGroups(
      [input(8, 16, 16), { id: 'stage', type: 'Group', params: { ref: 'pair' } }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'head', type: 'ClassificationHead', params: { classes: 4 } }],
      ['in -> stage', 'stage -> gap', 'gap -> head'],
      { residual, pair },
    );
    const report = inferGraph(nested);
    expect(report.errors).toEqual([]);
    expect(report.totals).toEqual(inferGraph(twoBlocks).totals);
    expect(expandGroups(nested).graph.nodes.map((n) => n.id)).toContain('stage.r2.conv_b');
  });

  it('a frozen group freezes its contents', () => {
    const frozen = { ...twoBlocks, nodes: twoBlocks.nodes.map((n) => (n.id === 'b1' ? { ...n, frozen: true } : n)) };
    const report = inferGraph(frozen);
    expect(report.totals.trainableParams).toBe(report.totals.params - report.nodes[1].params);
    expect(expandGroups(frozen).graph.nodes.filter((n) => n.id.startsWith('b1.')).every((n) => n.frozen)).toBe(true);
  });

  it.each([
    ['an unknown definition', { ref: 'nope' }, 'unknown_block', /no group definition "nope"/],
    ['a missing ref', {}, 'invalid_param', /ref/],
  ])('names the node for %s', (_name, params, code, message) => {
    const g = withGroups([input(8, 16, 16), { id: 'b1', type: 'Group', params }], ['in -> b1']);
    const error = inferGraph(g).errors.find((e) => e.code === code);
    expect(error?.node).toBe('b1');
    expect(error?.message).toMatch(message);
  });

  it('refuses a group that contains itself', () => {
    const loop: GroupDefinition = {
      nodes: [{ id: 'i', type: 'GroupInput', params: { port: 'in' } }, { id: 'again', type: 'Group', params: { ref: 'loop' } }, { id: 'o', type: 'GroupOutput', params: { port: 'out' } }],
      edges: [edge('i', 'again'), edge('again', 'o')],
    };
    const g = withGroups([input(), { id: 'g', type: 'Group', params: { ref: 'loop' } }], ['in -> g'], { loop });
    expect(inferGraph(g).errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'cycle', node: 'g.again' })]));
  });

  it('refuses an edge into a port the group does not have', () => {
    const g = withGroups([input(8, 16, 16), { id: 'b1', type: 'Group', params: { ref: 'residual' } }], ['in -> b1:skip']);
    expect(inferGraph(g).errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'unknown_port', node: 'b1', port: 'skip' })]));
  });

  it('names the inner node when a shape error happens inside a group', () => {
    const g = withGroups([input(3, 16, 16), { id: 'b1', type: 'Group', params: { ref: 'residual' } }], ['in -> b1']);
    const error = inferGraph(g).errors.find((e) => e.code === 'shape_mismatch');
    expect(error?.node).toBe('b1.add');
    expect(error?.message).toMatch(/\[8,16,16\] and \[3,16,16\]/);
  });

  it('compile to the same layers as the flat graph', async () => {
    await tf.setBackend('cpu');
    const { model, report } = compileGraph(twoBlocks, tf);
    expect(model.getLayer('b2.conv_b').outputShape).toEqual([null, 16, 16, 8]);
    const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    expect(trainable).toBe(report.totals.params);
    model.dispose();
  });
});
