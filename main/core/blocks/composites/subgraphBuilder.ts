import type { GroupDefinition } from '../../ir/schema';
import { GROUP_INPUT, GROUP_OUTPUT } from '../../ir/expandGroups';

/** Writes a composite's subgraph: port nodes, blocks wired in order, one output. */
export class SubgraphBuilder {
  readonly definition: GroupDefinition = { nodes: [], edges: [] };

  constructor(doc: string) {
    this.definition.doc = doc;
  }

  input(port = 'in'): string {
    const id = `input_${port}`;
    this.definition.nodes.push({ id, type: GROUP_INPUT, params: { port } });
    return id;
  }

  add(id: string, type: string, params: Record<string, unknown>, inputs: string[]): string {
    this.definition.nodes.push({ id, type, params });
    for (const from of inputs) this.definition.edges.push({ from: { node: from, port: 'out' }, to: { node: id, port: 'in' } });
    return id;
  }

  /** Marks `from` as the output `port`; returns the definition (complete once every output is marked). */
  output(from: string, port = 'out'): GroupDefinition {
    const id = `output_${port}`;
    this.definition.nodes.push({ id, type: GROUP_OUTPUT, params: { port } });
    this.definition.edges.push({ from: { node: from, port: 'out' }, to: { node: id, port: 'in' } });
    return this.definition;
  }
}
