import type { GraphEdge, GraphIR, GraphNode } from './schema';

export interface ParamChange {
  key: string;
  from: unknown;
  to: unknown;
}

export interface NodeChange {
  id: string;
  type: string;
  /** Set when the node's block type changed. */
  typeFrom?: string;
  params: ParamChange[];
  frozen?: { from: boolean; to: boolean };
}

/** What changed from graph `a` to graph `b`, node by node (nodes are matched by id). */
export interface GraphDiff {
  added: { id: string; type: string }[];
  removed: { id: string; type: string }[];
  changed: NodeChange[];
  edgesAdded: string[];
  edgesRemoved: string[];
}

const edgeKey = (e: GraphEdge) => `${e.from.node}.${e.from.port} -> ${e.to.node}.${e.to.port}`;
const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** Differences between two flat key/value records: every key whose value differs, sorted by key. */
export function diffRecords(a: Record<string, unknown>, b: Record<string, unknown>): ParamChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((key) => !same(a[key], b[key])).map((key) => ({ key, from: a[key], to: b[key] }));
}

function diffNode(a: GraphNode, b: GraphNode): NodeChange | null {
  const params = diffRecords(a.params, b.params);
  const frozenA = a.frozen ?? false;
  const frozenB = b.frozen ?? false;
  if (a.type === b.type && params.length === 0 && frozenA === frozenB) return null;
  return {
    id: b.id,
    type: b.type,
    ...(a.type !== b.type ? { typeFrom: a.type } : {}),
    params,
    ...(frozenA !== frozenB ? { frozen: { from: frozenA, to: frozenB } } : {}),
  };
}

/** Architecture differences between two runs' IRs: what `runs compare` shows. Positions are ignored. */
export function diffGraphs(a: GraphIR, b: GraphIR): GraphDiff {
  const nodesA = new Map(a.nodes.map((n) => [n.id, n]));
  const nodesB = new Map(b.nodes.map((n) => [n.id, n]));
  const edgesA = new Set(a.edges.map(edgeKey));
  const edgesB = new Set(b.edges.map(edgeKey));
  return {
    added: b.nodes.filter((n) => !nodesA.has(n.id)).map(({ id, type }) => ({ id, type })),
    removed: a.nodes.filter((n) => !nodesB.has(n.id)).map(({ id, type }) => ({ id, type })),
    changed: b.nodes.flatMap((n) => {
      const before = nodesA.get(n.id);
      const change = before ? diffNode(before, n) : null;
      return change ? [change] : [];
    }),
    edgesAdded: [...edgesB].filter((e) => !edgesA.has(e)),
    edgesRemoved: [...edgesA].filter((e) => !edgesB.has(e)),
  };
}
