import { applyOverrides, parseInputShape, type GraphIR } from '../core';
import { InvalidInputError } from './output';

export interface GraphOverrideOptions {
  input?: string;
  classes?: number;
}

/** Applies `--input CxHxW` and `--classes N` to a graph, refusing malformed values. */
export function withOverrides(graph: GraphIR, options: GraphOverrideOptions): GraphIR {
  const input = options.input === undefined ? undefined : parseInputShape(options.input);
  if (input === null) throw new InvalidInputError(`--input must look like 3x224x224 (channels x height x width); got "${options.input}"`);
  if (options.classes !== undefined && options.classes < 2) throw new InvalidInputError(`--classes must be at least 2; got ${options.classes}`);
  return applyOverrides(graph, { input, classes: options.classes });
}

export interface FreezeOptions {
  /** Comma-separated node ids to freeze. */
  freeze?: string;
  /** Comma-separated node ids to unfreeze. */
  unfreeze?: string;
}

function nodeList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Applies `--freeze a,b` and `--unfreeze c` over the graph's own per-node `frozen` flags.
 * Every id must name a node of the graph, and none may be in both lists; all problems are
 * reported at once, each naming the id.
 */
export function withFreezeOverrides(graph: GraphIR, options: FreezeOptions): GraphIR {
  const freeze = nodeList(options.freeze);
  const unfreeze = nodeList(options.unfreeze);
  if (freeze.length === 0 && unfreeze.length === 0) return graph;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const problems = [
    ...freeze.filter((id) => !ids.has(id)).map((id) => `--freeze: graph "${graph.name}" has no node "${id}"`),
    ...unfreeze.filter((id) => !ids.has(id)).map((id) => `--unfreeze: graph "${graph.name}" has no node "${id}"`),
    ...freeze.filter((id) => unfreeze.includes(id)).map((id) => `node "${id}" is in both --freeze and --unfreeze`),
  ];
  if (problems.length > 0) {
    throw new InvalidInputError(`${problems.join('\n')}\n(its nodes: ${[...ids].join(', ')})`, problems);
  }
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      if (freeze.includes(node.id)) return { ...node, frozen: true };
      if (!unfreeze.includes(node.id)) return node;
      // Absent means not frozen: leaving the key out keeps the IR (and its hash) as if never frozen.
      const { frozen: _frozen, ...rest } = node;
      return rest;
    }),
  };
}
