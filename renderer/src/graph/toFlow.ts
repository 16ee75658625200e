import type { Edge, Node } from '@xyflow/react';
import { GROUP, formatCount, formatFlops, formatShapeForPeople, getBlock, groupPorts, topLevelNodeOf, type BlockCategory, type GraphIR, type GraphReport } from '../../../main/core';
import { paramSummary } from './paramSummary';

/** What a block node on the canvas shows. Plain data only: no callbacks, no class instances. */
export type BlockNodeData = {
  type: string;
  category: BlockCategory | 'unknown';
  summary: string;
  /** Output shape for people (`64×32×32`), or null when it could not be inferred. */
  shape: string | null;
  params: string;
  flops: string;
  inputs: string[];
  outputs: string[];
  errors: string[];
};

export type BlockFlowNode = Node<BlockNodeData, 'block'>;

/** Grid spacing for nodes the IR gives no position. */
const FALLBACK_SPACING = { x: 220, y: 160 };

/** Maps the IR and its inference report to @xyflow/react nodes. */
export function toFlowNodes(graph: GraphIR, report: GraphReport, selected: string | null = null): BlockFlowNode[] {
  const byId = new Map(report.nodes.map((n) => [n.id, n]));
  const errors = new Map<string, string[]>();
  // An error inside a group (`b1.conv`) shows on the group's node.
  for (const e of report.errors) {
    if (!e.node) continue;
    const id = byId.has(e.node) ? e.node : topLevelNodeOf(e.node);
    errors.set(id, [...(errors.get(id) ?? []), e.message]);
  }
  return graph.nodes.map((node, index) => {
    const block = getBlock(node.type);
    const ports = node.type === GROUP ? groupPorts(graph, node) : { inputs: block?.inputs.map((p) => p.name) ?? [], outputs: block?.outputs ?? [] };
    const r = byId.get(node.id);
    return {
      id: node.id,
      type: 'block',
      position: node.position ?? { x: (index % 6) * FALLBACK_SPACING.x, y: Math.floor(index / 6) * FALLBACK_SPACING.y },
      selected: node.id === selected,
      data: {
        type: node.type,
        category: node.type === GROUP ? 'group' : (block?.category ?? 'unknown'),
        summary: paramSummary(node.type, node.params),
        shape: r?.outShapes
          ? Object.entries(r.outShapes)
              .map(([port, shape]) => `${port} ${formatShapeForPeople(shape)}`)
              .join(' · ')
          : r?.outShape
            ? formatShapeForPeople(r.outShape)
            : null,
        params: formatCount(r?.params ?? 0),
        flops: formatFlops(r?.flops ?? 0),
        inputs: ports.inputs,
        outputs: ports.outputs,
        errors: errors.get(node.id) ?? [],
      },
    };
  });
}

/** Maps IR edges to @xyflow/react edges; an edge into a port with an error is marked. */
export function toFlowEdges(graph: GraphIR, report: GraphReport): Edge[] {
  const badPorts = new Set(report.errors.filter((e) => e.node && e.port).map((e) => `${e.node}.${e.port}`));
  return graph.edges.map(({ from, to }) => {
    const invalid = badPorts.has(`${to.node}.${to.port}`);
    return {
      id: `${from.node}.${from.port}->${to.node}.${to.port}`,
      source: from.node,
      sourceHandle: from.port,
      target: to.node,
      targetHandle: to.port,
      type: 'smoothstep',
      className: invalid ? 'vb-edge-invalid' : undefined,
    };
  });
}
