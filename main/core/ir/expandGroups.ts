import type { GraphError } from '../errors';
import type { GraphEdge, GraphIR, GraphNode, GroupDefinition, PortRef } from './schema';

/** Node types that place a group and mark its ports. */
export const GROUP = 'Group';
export const GROUP_INPUT = 'GroupInput';
export const GROUP_OUTPUT = 'GroupOutput';

/** Ids inside an expanded group are `<group node id>.<inner id>`. */
export const GROUP_SEPARATOR = '.';

/** How deep groups may nest; deeper means a group contains itself. */
const MAX_DEPTH = 32;

export interface ExpandedGraph {
  /** The same graph with every group replaced by its contents: what inference and the compiler see. */
  graph: GraphIR;
  /** For every id in the flat graph, the top-level node it belongs to. */
  owner: Map<string, string>;
  /** For every top-level group, the flat node producing its first output port. */
  groupOutputs: Map<string, string>;
  errors: GraphError[];
}

interface Flattened {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Per input port of the group: the inner ports it feeds. */
  inputTargets: Map<string, PortRef[]>;
  /** Per output port of the group: the inner port that produces it. */
  outputSources: Map<string, PortRef>;
  /** Per group node at this level: the flat node producing its first output. */
  groupOutputs: Map<string, string>;
}

/**
 * Replaces `Group` nodes by their definitions, recursively, so the rest of the engine only ever
 * sees plain blocks. Edge order is kept (it is the input order of multi-input blocks).
 */
export function expandGroups(graph: GraphIR): ExpandedGraph {
  const errors: GraphError[] = [];
  const hasGroups = graph.nodes.some((n) => n.type === GROUP || n.type === GROUP_INPUT || n.type === GROUP_OUTPUT);
  if (!hasGroups) return { graph, owner: new Map(graph.nodes.map((n) => [n.id, n.id])), groupOutputs: new Map(), errors };

  const flat = flatten(graph.nodes, graph.edges, '', [], graph.groups ?? {}, errors);
  for (const n of graph.nodes.filter((n) => n.type === GROUP_INPUT || n.type === GROUP_OUTPUT)) {
    errors.push({ code: 'invalid_document', node: n.id, message: `${n.type} "${n.id}" belongs inside a group definition, not in the graph itself` });
  }
  const owner = new Map<string, string>();
  for (const n of flat.nodes) owner.set(n.id, topLevelNodeOf(n.id));
  const { groups: _groups, ...rest } = graph;
  return { graph: { ...rest, nodes: flat.nodes, edges: flat.edges }, owner, groupOutputs: flat.groupOutputs, errors };
}

function flatten(nodes: GraphNode[], edges: GraphEdge[], prefix: string, stack: string[], groups: Record<string, GroupDefinition>, errors: GraphError[]): Flattened {
  const out: Flattened = { nodes: [], edges: [], inputTargets: new Map(), outputSources: new Map(), groupOutputs: new Map() };
  const inner = new Map<string, Flattened>();
  const byId = new Map(nodes.map((n) => [n.id, n]));

  for (const node of nodes) {
    const id = prefix + node.id;
    if (node.type === GROUP_INPUT || node.type === GROUP_OUTPUT) continue;
    if (node.type !== GROUP) {
      out.nodes.push({ ...node, id });
      continue;
    }
    const ref = node.params.ref;
    const definition = typeof ref === 'string' ? groups[ref] : undefined;
    if (typeof ref !== 'string') {
      errors.push({ code: 'invalid_param', node: id, message: `Group "${id}": param "ref" must name a group definition` });
    } else if (!definition) {
      errors.push({ code: 'unknown_block', node: id, message: `Group "${id}": no group definition "${ref}" (defined: ${Object.keys(groups).join(', ') || 'none'})` });
    } else if (stack.includes(ref) || stack.length >= MAX_DEPTH) {
      errors.push({ code: 'cycle', node: id, message: `Group "${id}": definition "${ref}" contains itself (${[...stack, ref].join(' → ')})` });
    } else {
      const contents = flatten(definition.nodes, definition.edges, `${id}${GROUP_SEPARATOR}`, [...stack, ref], groups, errors);
      inner.set(node.id, contents);
      const first = contents.outputSources.values().next().value;
      if (first) out.groupOutputs.set(id, first.node);
      // A frozen group freezes everything in it.
      out.nodes.push(...(node.frozen ? contents.nodes.map((n) => ({ ...n, frozen: true })) : contents.nodes));
      out.edges.push(...contents.edges);
    }
  }

  const portOf = (node: GraphNode | undefined) => (typeof node?.params.port === 'string' ? node.params.port : 'in');
  for (const edge of edges) {
    const source = byId.get(edge.from.node);
    const target = byId.get(edge.to.node);
    if (source?.type === GROUP_INPUT && target?.type === GROUP_OUTPUT) {
      errors.push({ code: 'invalid_document', node: prefix + target.id, message: `Group output "${portOf(target)}" is wired straight to input "${portOf(source)}": nothing happens in between` });
      continue;
    }
    if (target?.type === GROUP_OUTPUT) {
      const from = resolveSource(edge.from, source, inner, prefix, errors);
      if (from) out.outputSources.set(portOf(target), from);
      continue;
    }
    const targets = resolveTargets(edge.to, target, inner, prefix, errors);
    if (source?.type === GROUP_INPUT) {
      const list = out.inputTargets.get(portOf(source)) ?? [];
      list.push(...targets);
      out.inputTargets.set(portOf(source), list);
      continue;
    }
    const from = resolveSource(edge.from, source, inner, prefix, errors);
    if (from) for (const to of targets) out.edges.push({ from, to });
  }
  return out;
}

/** Where an edge really starts: inside the group for a group's output port. */
function resolveSource(ref: PortRef, node: GraphNode | undefined, inner: Map<string, Flattened>, prefix: string, errors: GraphError[]): PortRef | undefined {
  const contents = node?.type === GROUP ? inner.get(node.id) : undefined;
  if (!contents) return node?.type === GROUP ? undefined : { node: prefix + ref.node, port: ref.port };
  const from = contents.outputSources.get(ref.port);
  if (!from) {
    const ports = [...contents.outputSources.keys()].join(', ') || 'none';
    errors.push({ code: 'unknown_port', node: prefix + ref.node, port: ref.port, message: `Group "${prefix + ref.node}" has no output port "${ref.port}" (ports: ${ports})` });
  }
  return from;
}

/** Where an edge really ends: every inner consumer of a group's input port. */
function resolveTargets(ref: PortRef, node: GraphNode | undefined, inner: Map<string, Flattened>, prefix: string, errors: GraphError[]): PortRef[] {
  const contents = node?.type === GROUP ? inner.get(node.id) : undefined;
  if (!contents) return node?.type === GROUP ? [] : [{ node: prefix + ref.node, port: ref.port }];
  const targets = contents.inputTargets.get(ref.port);
  if (!targets) {
    const ports = [...contents.inputTargets.keys()].join(', ') || 'none';
    errors.push({ code: 'unknown_port', node: prefix + ref.node, port: ref.port, message: `Group "${prefix + ref.node}" has no input port "${ref.port}" (ports: ${ports})` });
    return [];
  }
  return targets;
}

/** The ports a group node shows: its definition's GroupInput and GroupOutput ports, in order. */
export function groupPorts(graph: GraphIR, node: GraphNode): { inputs: string[]; outputs: string[] } {
  const ref = node.params.ref;
  const definition = typeof ref === 'string' ? graph.groups?.[ref] : undefined;
  const ports = (type: string) => (definition?.nodes ?? []).filter((n) => n.type === type).map((n) => String(n.params.port ?? (type === GROUP_INPUT ? 'in' : 'out')));
  return { inputs: ports(GROUP_INPUT), outputs: ports(GROUP_OUTPUT) };
}

/** The top-level node an id from an expanded graph belongs to (`b1.conv` → `b1`). */
export function topLevelNodeOf(id: string): string {
  return id.split(GROUP_SEPARATOR)[0];
}
