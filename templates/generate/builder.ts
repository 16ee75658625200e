import type { GraphIR } from '../../main/core';

type Node = GraphIR['nodes'][number];

/** Horizontal and vertical spacing of the generated layout, in canvas pixels. */
const COLUMN = 220;
const BAND = 300;
const ROW = 130;

/**
 * Writes a template's IR by hand-like steps: nodes in order, each wired to its inputs, laid
 * out left to right in bands (one band per block), so the editor opens it readable.
 */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly edges: GraphIR['edges'] = [];
  private column = 0;
  private band = 0;

  constructor(
    private readonly name: string,
    private readonly meta: GraphIR['meta'],
  ) {}

  /** Starts a new band: the next node goes to the left edge, one band lower. */
  newBand(): void {
    this.band++;
    this.column = 0;
  }

  /** Adds a node fed by `inputs` (into port `in`, in order); `row` 1 places it below the main path. */
  add(id: string, type: string, params: Record<string, unknown>, inputs: string[], row = 0): string {
    this.nodes.push({ id, type, params, position: { x: this.column * COLUMN, y: this.band * BAND + row * ROW } });
    this.column++;
    for (const from of inputs) this.edges.push({ from: { node: from, port: 'out' }, to: { node: id, port: 'in' } });
    return id;
  }

  /** Runs `fn` with the column reset to `column` and restores the current column afterwards (side branches). */
  branchAt<T>(column: number, fn: () => T): T {
    const saved = this.column;
    this.column = column;
    const result = fn();
    this.column = saved;
    return result;
  }

  get currentColumn(): number {
    return this.column;
  }

  build(): GraphIR {
    return { version: 1, name: this.name, nodes: this.nodes, edges: this.edges, meta: this.meta };
  }
}
