import { ShapeError, type GraphError } from '../errors';
import type { GraphIR, GraphNode, PortRef } from '../ir/schema';
import { getBlock } from '../blocks/registry';
import type { BlockDefinition, PortShapes, Shape } from '../blocks/types';
import { product } from '../blocks/shapeChecks';
import { topologicalOrder } from './topology';
import { expandGroups, type ExpandedGraph } from '../ir/expandGroups';

export interface NodeReport {
  id: string;
  type: string;
  /** Output shape per sample, channels first; null when the node or its inputs are invalid. */
  outShape: Shape | null;
  params: number;
  trainableParams: number;
  buffers: number;
  flops: number;
  /** Bytes of this node's float32 output(s) for one sample. */
  activationBytes: number;
  /** Every output port's shape, for blocks with more than one output (e.g. FPN's levels). */
  outShapes?: Record<string, Shape>;
}

export interface GraphTotals {
  params: number;
  trainableParams: number;
  buffers: number;
  flops: number;
  activationBytes: number;
}

export interface GraphReport {
  ok: boolean;
  /** Topological order, with the graph's outputs last. */
  nodes: NodeReport[];
  outputs: string[];
  totals: GraphTotals;
  errors: GraphError[];
}

interface ResolvedNode {
  node: GraphNode;
  block: BlockDefinition;
  params: Record<string, unknown>;
}

/**
 * Validates a graph and infers every node's shape, parameters and FLOPs, reporting all errors at
 * once. Groups are expanded first; each group is then reported as one node carrying the totals of
 * its contents and the shape of its output, while errors inside it name the inner node
 * (`group.inner`).
 */
export function inferGraph(graph: GraphIR): GraphReport {
  const expanded = expandGroups(graph);
  const flat = inferFlatGraph(expanded.graph);
  if (expanded.graph === graph) return flat;
  return reportPerTopLevelNode(graph, expanded, { ...flat, ok: flat.ok && expanded.errors.length === 0, errors: [...expanded.errors, ...flat.errors] });
}

/** Folds a flat report back onto the graph's own nodes: a group's row sums its members. */
function reportPerTopLevelNode(graph: GraphIR, expanded: ExpandedGraph, flat: GraphReport): GraphReport {
  const flatById = new Map(flat.nodes.map((n) => [n.id, n]));
  const rows = new Map<string, NodeReport>(
    graph.nodes.map((n) => [n.id, { id: n.id, type: n.type, outShape: null, params: 0, trainableParams: 0, buffers: 0, flops: 0, activationBytes: 0 }]),
  );
  for (const n of flat.nodes) {
    const row = rows.get(expanded.owner.get(n.id) ?? '');
    if (!row) continue;
    row.params += n.params;
    row.trainableParams += n.trainableParams;
    row.buffers += n.buffers;
    row.flops += n.flops;
    row.activationBytes += n.activationBytes;
    if (row.id === n.id) row.outShape = n.outShape;
  }
  for (const [group, producer] of expanded.groupOutputs) rows.get(group)!.outShape = flatById.get(producer)?.outShape ?? null;
  for (const node of graph.nodes) if (node.frozen) rows.get(node.id)!.trainableParams = 0;

  const { order } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges.filter((e) => rows.has(e.from.node) && rows.has(e.to.node)).map((e) => [e.from.node, e.to.node]),
  );
  const consumed = new Set(graph.edges.map((e) => e.from.node));
  const outputs = order.filter((id) => !consumed.has(id));
  const outputSet = new Set(outputs);
  const nodes = [...order.filter((id) => !outputSet.has(id)), ...outputs].map((id) => rows.get(id)!);
  return { ...flat, nodes, outputs, totals: sumTotals(nodes) };
}

function sumTotals(nodes: NodeReport[]): GraphTotals {
  return nodes.reduce<GraphTotals>(
    (t, n) => ({
      params: t.params + n.params,
      trainableParams: t.trainableParams + n.trainableParams,
      buffers: t.buffers + n.buffers,
      flops: t.flops + n.flops,
      activationBytes: t.activationBytes + n.activationBytes,
    }),
    { params: 0, trainableParams: 0, buffers: 0, flops: 0, activationBytes: 0 },
  );
}

/** Every output port's shape: from `inferOutputShapes` for multi-output blocks, else `inferShape` on the one port. */
function inferOutputShapes(block: BlockDefinition, inputs: PortShapes, params: Record<string, unknown>): Record<string, Shape> {
  if (block.inferOutputShapes) return block.inferOutputShapes(inputs, params);
  return { [block.outputs[0] ?? 'out']: block.inferShape(inputs, params) };
}

/** Resolves node types that are not registry blocks (a subgraph's port nodes). */
export type ExtraBlocks = (type: string) => BlockDefinition | undefined;

/** Inference on a graph without groups (`extraBlocks` serves a composite's port nodes). */
export function inferFlatGraph(graph: GraphIR, extraBlocks: ExtraBlocks = () => undefined): GraphReport {
  const errors: GraphError[] = [];
  const resolved = resolveNodes(graph.nodes, errors, extraBlocks);
  const incoming = collectEdges(graph, resolved, errors);
  const { order, cyclic } = topologicalOrder(
    graph.nodes.map((n) => n.id),
    graph.edges.filter((e) => resolved.has(e.from.node) && resolved.has(e.to.node)).map((e) => [e.from.node, e.to.node]),
  );
  for (const id of cyclic) errors.push({ code: 'cycle', node: id, message: `Node "${id}" is part of a cycle` });

  const shapes = new Map<string, Record<string, Shape>>();
  const reports = new Map<string, NodeReport>();
  // The first of duplicate ids is the one resolved (later ones are reported as duplicates).
  const nodesById = new Map([...graph.nodes].reverse().map((n) => [n.id, n]));
  for (const id of order) {
    const entry = resolved.get(id);
    const node = nodesById.get(id)!;
    const report: NodeReport = { id, type: node.type, outShape: null, params: 0, trainableParams: 0, buffers: 0, flops: 0, activationBytes: 0 };
    reports.set(id, report);
    if (!entry) continue;
    const inputs = gatherInputs(entry, incoming.get(id) ?? {}, shapes, errors);
    if (!inputs) continue;
    try {
      const outShapes = inferOutputShapes(entry.block, inputs, entry.params);
      const out = outShapes[entry.block.outputs[0] ?? 'out'];
      const counts = entry.block.countParams(inputs, entry.params);
      shapes.set(id, outShapes);
      if (entry.block.outputs.length > 1) report.outShapes = outShapes;
      Object.assign(report, {
        outShape: out,
        params: counts.params,
        trainableParams: node.frozen ? 0 : counts.params,
        buffers: counts.buffers,
        flops: entry.block.countFlops(inputs, out, entry.params),
        activationBytes: 4 * Object.values(outShapes).reduce((sum, s) => sum + product(s), 0),
      });
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      errors.push({ code: e.code, node: id, port: e.port, message: `${node.type} "${id}": ${e.message}` });
    }
  }

  const consumed = new Set(graph.edges.map((e) => e.from.node));
  const outputs = order.filter((id) => !consumed.has(id) && resolved.has(id));
  if (graph.nodes.length > 0 && outputs.length === 0 && cyclic.length === 0) {
    errors.push({ code: 'no_output', message: 'Graph has no output: every node feeds another' });
  }
  const outputSet = new Set(outputs);
  const nodes = [...order.filter((id) => !outputSet.has(id)), ...outputs].map((id) => reports.get(id)!);
  return { ok: errors.length === 0, nodes, outputs, totals: sumTotals(nodes), errors };
}

function resolveNodes(nodes: GraphNode[], errors: GraphError[], extraBlocks: ExtraBlocks): Map<string, ResolvedNode> {
  const resolved = new Map<string, ResolvedNode>();
  const seen = new Set<string>();
  for (const node of nodes) {
    if (seen.has(node.id)) {
      errors.push({ code: 'duplicate_node', node: node.id, message: `Node id "${node.id}" is used more than once` });
      continue;
    }
    seen.add(node.id);
    const block = getBlock(node.type) ?? extraBlocks(node.type);
    if (!block) {
      errors.push({ code: 'unknown_block', node: node.id, message: `Node "${node.id}": unknown block type "${node.type}"` });
      continue;
    }
    const parsed = block.params.safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'params';
        errors.push({ code: 'invalid_param', node: node.id, message: `${node.type} "${node.id}": param "${key}": ${issue.message}` });
      }
      continue;
    }
    resolved.set(node.id, { node, block, params: parsed.data });
  }
  return resolved;
}

/** Incoming edges per node and port, in edge order; bad edges become errors. */
function collectEdges(graph: GraphIR, resolved: Map<string, ResolvedNode>, errors: GraphError[]): Map<string, Record<string, PortRef[]>> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const incoming = new Map<string, Record<string, PortRef[]>>();
  for (const { from, to } of graph.edges) {
    const missing = [from.node, to.node].filter((id) => !ids.has(id));
    if (missing.length > 0) {
      const present = ids.has(from.node) ? from.node : ids.has(to.node) ? to.node : undefined;
      errors.push({ code: 'dangling_edge', node: present, message: `Edge ${from.node}.${from.port} -> ${to.node}.${to.port} refers to missing node "${missing[0]}"` });
      continue;
    }
    const source = resolved.get(from.node);
    const target = resolved.get(to.node);
    if (source && !source.block.outputs.includes(from.port)) {
      errors.push({ code: 'unknown_port', node: from.node, port: from.port, message: `${source.node.type} "${from.node}" has no output port "${from.port}" (ports: ${source.block.outputs.join(', ')})` });
      continue;
    }
    if (!target) continue;
    const spec = target.block.inputs.find((p) => p.name === to.port);
    if (!spec) {
      const ports = target.block.inputs.map((p) => p.name).join(', ') || 'none';
      errors.push({ code: 'unknown_port', node: to.node, port: to.port, message: `${target.node.type} "${to.node}" has no input port "${to.port}" (ports: ${ports})` });
      continue;
    }
    const perPort = incoming.get(to.node) ?? {};
    const list = (perPort[to.port] ??= []);
    if (spec.arity === 'one' && list.length === 1) {
      errors.push({ code: 'duplicate_input', node: to.node, port: to.port, message: `${target.node.type} "${to.node}": port "${to.port}" takes one input but is connected to "${list[0].node}" and "${from.node}"` });
      continue;
    }
    list.push(from);
    incoming.set(to.node, perPort);
  }
  return incoming;
}

/** Input shapes per port, or null when an upstream node has no shape (already reported) or a port is unconnected. */
function gatherInputs(entry: ResolvedNode, ports: Record<string, PortRef[]>, shapes: Map<string, Record<string, Shape>>, errors: GraphError[]): PortShapes | null {
  const result: PortShapes = {};
  let complete = true;
  for (const spec of entry.block.inputs) {
    const sources = ports[spec.name] ?? [];
    const needed = spec.arity === 'one' ? 1 : (spec.min ?? 1);
    if (sources.length < needed) {
      const { id, type } = entry.node;
      errors.push({ code: 'missing_input', node: id, port: spec.name, message: `${type} "${id}": input "${spec.name}" needs ${needed} connection${needed > 1 ? 's' : ''}, has ${sources.length}` });
      complete = false;
      continue;
    }
    const found = sources.map((s) => shapes.get(s.node)?.[s.port]);
    if (found.some((s) => s === undefined)) complete = false;
    else result[spec.name] = found as Shape[];
  }
  return complete ? result : null;
}
