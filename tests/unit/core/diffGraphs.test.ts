import { describe, expect, it } from 'vitest';
import { diffGraphs, diffRecords } from '../../../main/core';
import { loadTemplate } from '../../../main/templates/templateLibrary';

describe('diffGraphs', () => {
  const base = loadTemplate('tiny_resnet');

  it('finds nothing between a graph and itself, even moved on the canvas', () => {
    const moved = { ...base, nodes: base.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) };
    expect(diffGraphs(base, moved)).toEqual({ added: [], removed: [], changed: [], edgesAdded: [], edgesRemoved: [] });
  });

  it('reports changed params, type changes and freezing per node', () => {
    const edited = {
      ...base,
      nodes: base.nodes.map((n) => {
        if (n.id === 'head') return { ...n, params: { ...n.params, classes: 5 } };
        if (n.id === 'stem_relu') return { ...n, type: 'ReLU6' };
        if (n.id === 'stem_conv') return { ...n, frozen: true };
        return n;
      }),
    };
    expect(diffGraphs(base, edited).changed).toEqual([
      { id: 'stem_conv', type: 'Conv2d', params: [], frozen: { from: false, to: true } },
      { id: 'stem_relu', type: 'ReLU6', typeFrom: 'ReLU', params: [] },
      { id: 'head', type: 'ClassificationHead', params: [{ key: 'classes', from: 10, to: 5 }] },
    ]);
  });

  it('reports added and removed nodes and edges', () => {
    const withDropout = {
      ...base,
      nodes: [...base.nodes, { id: 'drop', type: 'Dropout', params: { rate: 0.2 } }],
      edges: [
        ...base.edges.filter((e) => e.to.node !== 'head'),
        { from: { node: 'pool', port: 'out' }, to: { node: 'drop', port: 'in' } },
        { from: { node: 'drop', port: 'out' }, to: { node: 'head', port: 'in' } },
      ],
    };
    const diff = diffGraphs(base, withDropout);
    expect(diff.added).toEqual([{ id: 'drop', type: 'Dropout' }]);
    expect(diff.removed).toEqual([]);
    expect(diff.edgesAdded).toEqual(['pool.out -> drop.in', 'drop.out -> head.in']);
    expect(diff.edgesRemoved).toEqual(['pool.out -> head.in']);
    expect(diffGraphs(withDropout, base).removed).toEqual([{ id: 'drop', type: 'Dropout' }]);
  });
});

describe('diffRecords', () => {
  it('lists differing keys in order, nested values compared by content', () => {
    expect(diffRecords({ lr: 0.1, epochs: 3, data: { n: 1 }, same: [1] }, { lr: 0.01, batch: 8, data: { n: 2 }, same: [1] })).toEqual([
      { key: 'batch', from: undefined, to: 8 },
      { key: 'data', from: { n: 1 }, to: { n: 2 } },
      { key: 'epochs', from: 3, to: undefined },
      { key: 'lr', from: 0.1, to: 0.01 },
    ]);
  });
});
