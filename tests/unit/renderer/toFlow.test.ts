import { describe, expect, it } from 'vitest';
import { inferGraph, type GraphIR } from '../../../main/core';
import { toFlowEdges, toFlowNodes } from '../../../renderer/src/graph/toFlow';
import { loadTemplate } from './fixtures';

describe('toFlowNodes on tiny_resnet', () => {
  const graph = loadTemplate('tiny_resnet');
  const nodes = toFlowNodes(graph, inferGraph(graph));
  const byId = new Map(nodes.map((n) => [n.id, n]));

  it('maps every IR node to a block node at its IR position', () => {
    expect(nodes).toHaveLength(graph.nodes.length);
    expect(byId.get('stem_conv')!.position).toEqual({ x: 220, y: 0 });
    expect(nodes.every((n) => n.type === 'block')).toBe(true);
  });

  it.each([
    ['input', '3×128×128', '0', '0 FLOPs'],
    ['stem_conv', '32×64×64', '864', '7.08 MFLOPs'],
    ['stage1_a_conv', '64×16×16', '18.4 k', '9.44 MFLOPs'],
    ['pool', '160', '0', expect.any(String)],
    ['head', '10', '1.61 k', expect.any(String)],
  ])('%s shows shape %s, %s params, %s', (id, shape, params, flops) => {
    expect(byId.get(id)!.data).toMatchObject({ shape, params, flops, errors: [] });
  });

  it('summarises the params written in the IR', () => {
    expect(byId.get('stem_conv')!.data.summary).toBe('32 ch · 3×3 s2 p1 · no bias');
    expect(byId.get('head')!.data.summary).toBe('10 classes');
    expect(byId.get('input')!.data.summary).toBe('');
  });

  it('lists the block ports for handles', () => {
    expect(byId.get('stage1_add')!.data).toMatchObject({ inputs: ['in'], outputs: ['out'], category: 'merge' });
    expect(byId.get('input')!.data.inputs).toEqual([]);
  });

  it('marks the selected node', () => {
    const selected = toFlowNodes(graph, inferGraph(graph), 'pool').filter((n) => n.selected);
    expect(selected.map((n) => n.id)).toEqual(['pool']);
  });
});

describe('errors on the canvas', () => {
  const broken: GraphIR = {
    version: 1,
    name: 'broken',
    meta: {},
    nodes: [
      { id: 'x', type: 'Input', params: { channels: 3, height: 32, width: 32 } },
      { id: 'a', type: 'Conv2d', params: { outChannels: 8, stride: 2 } },
      { id: 'sum', type: 'Add', params: {} },
      { id: 'mystery', type: 'NoSuchBlock', params: {} },
    ],
    edges: [
      { from: { node: 'x', port: 'out' }, to: { node: 'a', port: 'in' } },
      { from: { node: 'x', port: 'out' }, to: { node: 'sum', port: 'in' } },
      { from: { node: 'a', port: 'out' }, to: { node: 'sum', port: 'in' } },
    ],
  };
  const report = inferGraph(broken);
  const byId = new Map(toFlowNodes(broken, report).map((n) => [n.id, n]));

  it('gives an invalid node its messages and no shape', () => {
    const sum = byId.get('sum')!.data;
    expect(sum.shape).toBeNull();
    expect(sum.errors.join(' ')).toMatch(/\[3,32,32\].*\[8,16,16\]|\[8,16,16\].*\[3,32,32\]/);
  });

  it('shows unknown blocks with the unknown category', () => {
    expect(byId.get('mystery')!.data).toMatchObject({ category: 'unknown', inputs: [], outputs: [] });
    expect(byId.get('mystery')!.data.errors[0]).toContain('NoSuchBlock');
  });

  it('keeps valid nodes clean', () => {
    expect(byId.get('a')!.data).toMatchObject({ shape: '8×16×16', errors: [] });
  });

  it('places nodes without a position on a grid', () => {
    expect(byId.get('a')!.position).toEqual({ x: 220, y: 0 });
  });

  it('maps edges with ports as handles and marks edges into a failing port', () => {
    const edges = toFlowEdges(broken, report);
    expect(edges[0]).toMatchObject({ source: 'x', sourceHandle: 'out', target: 'a', targetHandle: 'in', id: 'x.out->a.in' });
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
    const intoSum = edges.filter((e) => e.target === 'sum');
    expect(intoSum.every((e) => e.className === 'vb-edge-invalid')).toBe(report.errors.some((e) => e.node === 'sum' && e.port === 'in'));
  });
});

describe('toFlowNodes on a graph with a group', () => {
  const edge = (from: string, to: string) => ({ from: { node: from, port: 'out' }, to: { node: to, port: 'in' } });
  /** Input 3×8×8 into a group: conv to `channels`, added to its own input. */
  const grouped = (channels: number): GraphIR => ({
    version: 1,
    name: 'grouped',
    nodes: [
      { id: 'x', type: 'Input', params: { channels: 3, height: 8, width: 8 } },
      { id: 'g', type: 'Group', params: { ref: 'block' } },
    ],
    edges: [edge('x', 'g')],
    groups: {
      block: {
        nodes: [
          { id: 'i', type: 'GroupInput', params: { port: 'in' } },
          { id: 'c', type: 'Conv2d', params: { outChannels: channels } },
          { id: 'sum', type: 'Add', params: {} },
          { id: 'o', type: 'GroupOutput', params: { port: 'out' } },
        ],
        edges: [edge('i', 'c'), edge('c', 'sum'), edge('i', 'sum'), edge('sum', 'o')],
      },
    },
    meta: {},
  });
  const groupNode = (graph: GraphIR) => toFlowNodes(graph, inferGraph(graph)).find((n) => n.id === 'g')!;

  it('gives the group node its definition ports and output shape', () => {
    expect(groupNode(grouped(3)).data).toMatchObject({ type: 'Group', inputs: ['in'], outputs: ['out'], shape: '3×8×8', errors: [] });
  });

  it('shows an error from inside the group on the group node', () => {
    expect(groupNode(grouped(4)).data.errors).toEqual([expect.stringMatching(/Add "g.sum": input shapes \[4,8,8\] and \[3,8,8\] differ/)]);
  });
});

describe('toFlowNodes on a block with several outputs', () => {
  it('shows every output port with its shape', () => {
    const e = (from: string, to: string, fromPort = 'out', toPort = 'in') => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
    const graph: GraphIR = {
      version: 1,
      name: 'pyramid',
      nodes: [
        { id: 'x', type: 'Input', params: { channels: 3, height: 32, width: 32 } },
        { id: 'c3', type: 'Conv2d', params: { outChannels: 4 } },
        { id: 'c4', type: 'Conv2d', params: { outChannels: 4, stride: 2 } },
        { id: 'c5', type: 'Conv2d', params: { outChannels: 4, stride: 2 } },
        { id: 'fpn', type: 'FPN', params: { channels: 8 } },
      ],
      edges: [e('x', 'c3'), e('c3', 'c4'), e('c4', 'c5'), e('c3', 'fpn', 'out', 'c3'), e('c4', 'fpn', 'out', 'c4'), e('c5', 'fpn', 'out', 'c5')],
      meta: {},
    };
    const node = toFlowNodes(graph, inferGraph(graph)).find((n) => n.id === 'fpn')!;
    expect(node.data).toMatchObject({ inputs: ['c3', 'c4', 'c5'], outputs: ['p3', 'p4', 'p5'], shape: 'p3 8×32×32 · p4 8×16×16 · p5 8×8×8' });
  });
});
