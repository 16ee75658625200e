import type { GraphIR } from './schema';

export interface GraphOverrides {
  /** New per-sample input shape [C,H,W] for every Input node. */
  input?: [number, number, number];
  /** New class count for every head that has one. */
  classes?: number;
}

/** Parses `3x224x224` (or `3×224×224`) into [C,H,W]; null when it is not three positive integers. */
export function parseInputShape(text: string): [number, number, number] | null {
  const parts = text.split(/[x×,]/i).map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n <= 0)) return null;
  return parts as [number, number, number];
}

/**
 * A copy of the graph resized for another input or class count: what `--input` and `--classes`
 * do. Shapes downstream follow by inference; where they cannot (a patch size that no longer
 * divides the image), checking the result reports it.
 */
export function applyOverrides(graph: GraphIR, overrides: GraphOverrides): GraphIR {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      if (overrides.input && node.type === 'Input') {
        const [channels, height, width] = overrides.input;
        return { ...node, params: { ...node.params, channels, height, width } };
      }
      if (overrides.classes !== undefined && 'classes' in node.params) {
        return { ...node, params: { ...node.params, classes: overrides.classes } };
      }
      return node;
    }),
  };
}
