import type { GraphIR } from '../../../main/core';

type Node = GraphIR['nodes'][number];

/** A small graph builder for tests: nodes in order, edges as `from -> to[:port]`. */
export function graph(nodes: Node[], edges: string[]): GraphIR {
  return {
    version: 1,
    name: 'test',
    nodes,
    edges: edges.map((e) => {
      const [from, to] = e.split('->').map((s) => s.trim());
      const [toNode, toPort = 'in'] = to.split(':');
      return { from: { node: from, port: 'out' }, to: { node: toNode, port: toPort } };
    }),
    meta: {},
  };
}

export const input = (c = 3, h = 32, w = 32): Node => ({ id: 'in', type: 'Input', params: { channels: c, height: h, width: w } });
