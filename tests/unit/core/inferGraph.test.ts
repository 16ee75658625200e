import { describe, expect, it } from 'vitest';
import { inferGraph, parseGraph, type GraphErrorCode, type GraphIR } from '../../../main/core';
import { graph, input } from './graphFixtures';

describe('inferGraph on a valid chain', () => {
  // Input 3x32x32 -> Conv 3x3 s2 p1 (16, no bias) -> BN -> ReLU -> GAP -> head(10)
  const g = graph(
    [
      input(),
      { id: 'conv', type: 'Conv2d', params: { outChannels: 16, kernel: 3, stride: 2, padding: 1, bias: false } },
      { id: 'bn', type: 'BatchNorm', params: {} },
      { id: 'relu', type: 'ReLU', params: {} },
      { id: 'gap', type: 'GlobalAvgPool', params: {} },
      { id: 'head', type: 'ClassificationHead', params: { classes: 10 } },
    ],
    ['in -> conv', 'conv -> bn', 'bn -> relu', 'relu -> gap', 'gap -> head'],
  );
  const report = inferGraph(g);

  it('is valid with shapes computed by hand', () => {
    expect(report.errors).toEqual([]);
    expect(report.nodes.map((n) => [n.id, n.outShape])).toEqual([
      ['in', [3, 32, 32]],
      ['conv', [16, 16, 16]],
      ['bn', [16, 16, 16]],
      ['relu', [16, 16, 16]],
      ['gap', [16]],
      ['head', [10]],
    ]);
    expect(report.outputs).toEqual(['head']);
  });

  it('counts params, buffers and FLOPs by hand', () => {
    const byId = Object.fromEntries(report.nodes.map((n) => [n.id, n]));
    expect(byId.conv.params).toBe(3 * 3 * 3 * 16); // 432, no bias
    expect(byId.conv.flops).toBe(2 * 432 * 16 * 16); // 2 FLOPs per multiply-add at 16x16 positions
    expect(byId.bn.params).toBe(32);
    expect(byId.bn.buffers).toBe(32);
    expect(byId.head.params).toBe(16 * 10 + 10);
    expect(report.totals.params).toBe(432 + 32 + 170);
    expect(report.totals.buffers).toBe(32);
    expect(report.totals.activationBytes).toBe(4 * (3 * 32 * 32 + 3 * 16 * 16 * 16 + 16 + 10));
  });

  it('leaves frozen nodes out of trainableParams', () => {
    const frozen = { ...g, nodes: g.nodes.map((n) => (n.id === 'conv' ? { ...n, frozen: true } : n)) };
    const totals = inferGraph(frozen).totals;
    expect(totals.params).toBe(634);
    expect(totals.trainableParams).toBe(634 - 432);
  });
});

describe('bad graphs are reported with a code and the node', () => {
  const conv = (id: string, params: Record<string, unknown> = { outChannels: 8 }) => ({ id, type: 'Conv2d', params });
  const cases: { name: string; graph: GraphIR; code: GraphErrorCode; node?: string; message?: RegExp }[] = [
    { name: 'unknown block type', graph: graph([input(), { id: 'x', type: 'Conv9d', params: {} }], ['in -> x']), code: 'unknown_block', node: 'x', message: /Conv9d/ },
    { name: 'duplicate node id', graph: graph([input(), conv('c'), conv('c')], ['in -> c']), code: 'duplicate_node', node: 'c' },
    { name: 'missing required param', graph: graph([input(), conv('c', {})], ['in -> c']), code: 'invalid_param', node: 'c', message: /outChannels/ },
    { name: 'param of the wrong type', graph: graph([input(), conv('c', { outChannels: 'eight' })], ['in -> c']), code: 'invalid_param', node: 'c' },
    { name: 'param out of range', graph: graph([input(), conv('c', { outChannels: 8, stride: 0 })], ['in -> c']), code: 'invalid_param', node: 'c', message: /stride/ },
    { name: 'unknown param', graph: graph([input(), conv('c', { outChannels: 8, kernal: 3 })], ['in -> c']), code: 'invalid_param', node: 'c', message: /kernal/ },
    { name: 'dangling edge', graph: graph([input(), conv('c')], ['in -> c', 'ghost -> c']), code: 'dangling_edge', message: /ghost/ },
    { name: 'unknown input port', graph: graph([input(), conv('c')], ['in -> c:weights']), code: 'unknown_port', node: 'c', message: /weights/ },
    { name: 'two edges into a one-input port', graph: graph([input(), conv('a'), conv('c')], ['in -> a', 'in -> c', 'a -> c']), code: 'duplicate_input', node: 'c' },
    { name: 'unconnected required input', graph: graph([input(), conv('c')], []), code: 'missing_input', node: 'c' },
    {
      name: 'cycle',
      graph: graph([input(), { id: 'a', type: 'Add', params: {} }, { id: 'r', type: 'ReLU', params: {} }], ['in -> a', 'r -> a', 'a -> r']),
      code: 'cycle',
      node: 'a',
    },
    {
      name: 'Add shape mismatch',
      graph: graph([input(), conv('c', { outChannels: 8 }), { id: 'add', type: 'Add', params: {} }], ['in -> c', 'in -> add', 'c -> add']),
      code: 'shape_mismatch',
      node: 'add',
      message: /input shapes \[3,32,32\] and \[8,32,32\] differ/,
    },
    { name: 'Add with one input', graph: graph([input(), { id: 'add', type: 'Add', params: {} }], ['in -> add']), code: 'missing_input', node: 'add' },
    { name: 'spatial size not positive', graph: graph([input(3, 4, 4), conv('c', { outChannels: 8, kernel: 5, padding: 'valid' })], ['in -> c']), code: 'invalid_shape', node: 'c' },
    { name: 'groups not dividing channels', graph: graph([input(), conv('c', { outChannels: 8, groups: 2 })], ['in -> c']), code: 'invalid_param', node: 'c', message: /groups=2/ },
    { name: 'Linear on an image', graph: graph([input(), { id: 'fc', type: 'Linear', params: { outFeatures: 4 } }], ['in -> fc']), code: 'shape_mismatch', node: 'fc', message: /feature vector/ },
    { name: 'head on an image', graph: graph([input(), { id: 'h', type: 'ClassificationHead', params: { classes: 3 } }], ['in -> h']), code: 'shape_mismatch', node: 'h' },
    { name: 'kernel larger than the input', graph: graph([input(3, 4, 4), conv('c', { outChannels: 8, kernel: 7, padding: 1 })], ['in -> c']), code: 'invalid_shape', node: 'c', message: /kernel span 7/ },
    {
      name: 'attention heads not dividing the dim',
      graph: graph([input(3, 32, 32), { id: 'p', type: 'PatchEmbed', params: { patchSize: 8, dim: 64 } }, { id: 'att', type: 'MultiHeadSelfAttention', params: { heads: 6 } }], ['in -> p', 'p -> att']),
      code: 'invalid_param',
      node: 'att',
      message: /6.*64|64.*6/,
    },
    {
      name: 'patch size not dividing the image',
      graph: graph([input(3, 30, 30), { id: 'p', type: 'PatchEmbed', params: { patchSize: 8, dim: 64 } }], ['in -> p']),
      code: 'invalid_shape',
      node: 'p',
      message: /8.*30/,
    },
    {
      name: 'Concat with different spatial sizes',
      graph: graph([input(3, 32, 32), conv('c', { outChannels: 8, stride: 2 }), { id: 'cat', type: 'Concat', params: {} }], ['in -> c', 'in -> cat', 'c -> cat']),
      code: 'shape_mismatch',
      node: 'cat',
    },
    { name: 'max pool window larger than input', graph: graph([input(3, 2, 2), { id: 'p', type: 'MaxPool', params: { kernel: 3, stride: 1 } }], ['in -> p']), code: 'invalid_shape', node: 'p' },
  ];

  it.each(cases)('$name → $code', ({ graph: g, code, node, message }) => {
    const report = inferGraph(g);
    expect(report.ok).toBe(false);
    const error = report.errors.find((e) => e.code === code);
    expect(error, JSON.stringify(report.errors)).toBeDefined();
    if (node) expect(error!.node).toBe(node);
    if (message) expect(error!.message).toMatch(message);
  });

  it('reports every error at once, not only the first', () => {
    const g = graph([input(), conv('a', { outChannels: 0 }), { id: 'b', type: 'Nope', params: {} }, conv('c')], ['in -> a', 'in -> b']);
    const codes = inferGraph(g).errors.map((e) => `${e.code}@${e.node}`);
    expect(codes).toEqual(expect.arrayContaining(['invalid_param@a', 'unknown_block@b', 'missing_input@c']));
  });
});

describe('parseGraph', () => {
  it.each([
    ['malformed JSON', '{"version": 1,', 'malformed_json'],
    ['not an object', '[1,2]', 'invalid_document'],
    ['unsupported version', '{"version": 99, "name": "x", "nodes": [], "edges": []}', 'unsupported_version'],
    ['missing version', '{"name": "x", "nodes": [], "edges": []}', 'unsupported_version'],
    ['node without type', '{"version": 1, "name": "x", "nodes": [{"id": "a"}], "edges": []}', 'invalid_document'],
    ['unknown top-level key', '{"version": 1, "name": "x", "nodes": [], "edges": [], "extra": 1}', 'invalid_document'],
  ])('%s → %s', (_name, text, code) => {
    const parsed = parseGraph(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0].code).toBe(code);
  });

  it('names the node whose entry is malformed', () => {
    const parsed = parseGraph({ version: 1, name: 'x', nodes: [{ id: 'good', type: 'ReLU' }, { id: 'bad', type: 3 }], edges: [] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0].node).toBe('bad');
  });

  it('fills defaults and keeps the document otherwise as given', () => {
    const parsed = parseGraph({ version: 1, name: 'x', nodes: [{ id: 'a', type: 'ReLU' }], edges: [] });
    expect(parsed.ok && parsed.graph.nodes[0].params).toEqual({});
    expect(parsed.ok && parsed.graph.meta).toEqual({});
  });
});
