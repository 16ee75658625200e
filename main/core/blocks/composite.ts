import { z } from 'zod';
import { ShapeError, type GraphErrorCode } from '../errors';
import type { GraphNode, GroupDefinition, PortRef } from '../ir/schema';
import { GROUP_INPUT, GROUP_OUTPUT } from '../ir/expandGroups';
import { inferFlatGraph } from '../infer/inferGraph';
import { topologicalOrder } from '../infer/topology';
import { getBlock } from './registry';
import { defineBlock, type BlockCategory, type BlockDefinition, type InputPortSpec, type PortShapes, type Shape } from './types';

/**
 * A composite block (BasicBlock, MBConv, Transformer encoder, FPN…) is defined by the subgraph it
 * stands for. Its shape, parameters, FLOPs and TF.js layers all come from that subgraph, so they
 * can never disagree with it, and the editor can open it as a group to edit and save.
 */
export interface CompositeSpec<P> {
  type: string;
  category: BlockCategory;
  doc: string;
  params: z.ZodType<P>;
  inputs: InputPortSpec[];
  outputs: string[];
  /** The subgraph for these params and input shapes, with GroupInput/GroupOutput nodes as its ports. */
  expand(params: P, inputs: PortShapes): GroupDefinition;
}

const PortParams = z.object({ port: z.string().default('in') });

/** Port nodes as blocks, so a subgraph checks with the same inference as any graph. */
function portBlocks(inputs: PortShapes): (type: string) => BlockDefinition | undefined {
  const groupInput = defineBlock<{ port: string }>({
    type: GROUP_INPUT,
    category: 'group',
    doc: 'A port of the enclosing block.',
    params: PortParams,
    inputs: [],
    outputs: ['out'],
    inferShape: (_i, p) => {
      const shape = inputs[p.port]?.[0];
      if (!shape) throw new ShapeError('unknown_port', `no input port "${p.port}"`);
      return shape;
    },
    countParams: () => ({ params: 0, buffers: 0 }),
    countFlops: () => 0,
  });
  const groupOutput = defineBlock<{ port: string }>({
    type: GROUP_OUTPUT,
    category: 'group',
    doc: 'An output port of the enclosing block.',
    params: PortParams,
    inputs: [{ name: 'in', arity: 'one' }],
    outputs: [],
    inferShape: (i) => i.in[0],
    countParams: () => ({ params: 0, buffers: 0 }),
    countFlops: () => 0,
  });
  return (type) => (type === GROUP_INPUT ? groupInput : type === GROUP_OUTPUT ? groupOutput : undefined);
}

interface Expansion {
  definition: GroupDefinition;
  /** Every inner node's output shapes by port. */
  shapes: Map<string, Record<string, Shape>>;
  /** The composite's output shapes by port. */
  outputs: Record<string, Shape>;
  params: number;
  buffers: number;
  flops: number;
}

const isPort = (n: GraphNode) => n.type === GROUP_INPUT || n.type === GROUP_OUTPUT;
const portName = (n: GraphNode) => String(n.params.port ?? (n.type === GROUP_INPUT ? 'in' : 'out'));

/** Expands and checks a composite; an error inside becomes a ShapeError naming the inner node. */
function expandAndInfer<P>(spec: CompositeSpec<P>, params: P, inputs: PortShapes): Expansion {
  const definition = spec.expand(params, inputs);
  const report = inferFlatGraph({ version: 1, name: spec.type, nodes: definition.nodes, edges: definition.edges, meta: {} }, portBlocks(inputs));
  if (!report.ok) {
    const first = report.errors[0];
    throw new ShapeError(first.code as GraphErrorCode, `inside ${spec.type}: ${first.message}`, first.port);
  }
  const shapes = new Map(report.nodes.map((n) => [n.id, n.outShapes ?? { out: n.outShape! }]));
  const outputs = Object.fromEntries(definition.nodes.filter((n) => n.type === GROUP_OUTPUT).map((n) => [portName(n), shapes.get(n.id)!.out]));
  const inner = report.nodes.filter((n) => !isPort(definition.nodes.find((d) => d.id === n.id)!));
  return {
    definition,
    shapes,
    outputs,
    params: inner.reduce((a, n) => a + n.params, 0),
    buffers: inner.reduce((a, n) => a + n.buffers, 0),
    flops: inner.reduce((a, n) => a + n.flops, 0),
  };
}

const composites = new Map<string, CompositeSpec<Record<string, unknown>>>();

/**
 * The subgraph a composite node stands for, given its input shapes: what the editor opens when
 * a user expands a composite to edit it as a group. Undefined for a block that is not a composite.
 */
export function expandComposite(type: string, params: Record<string, unknown>, inputs: PortShapes): GroupDefinition | undefined {
  const spec = composites.get(type);
  return spec?.expand(spec.params.parse(params), inputs);
}

export function defineComposite<P>(spec: CompositeSpec<P>): BlockDefinition<Record<string, unknown>> {
  composites.set(spec.type, spec as unknown as CompositeSpec<Record<string, unknown>>);
  // inferShape, countParams and countFlops are asked in turn for the same node: expand once.
  let last: { key: string; value: Expansion } | undefined;
  const expansion = (params: P, inputs: PortShapes) => {
    const key = JSON.stringify([params, inputs]);
    if (last?.key !== key) last = { key, value: expandAndInfer(spec, params, inputs) };
    return last.value;
  };
  return defineBlock<P>({
    type: spec.type,
    category: spec.category,
    doc: spec.doc,
    params: spec.params,
    inputs: spec.inputs,
    outputs: spec.outputs,
    inferShape: (inputs, p) => expansion(p, inputs).outputs[spec.outputs[0]],
    inferOutputShapes: spec.outputs.length > 1 ? (inputs, p) => expansion(p, inputs).outputs : undefined,
    countParams: (inputs, p) => ({ params: expansion(p, inputs).params, buffers: expansion(p, inputs).buffers }),
    countFlops: (inputs, _out, p) => expansion(p, inputs).flops,
    build(p, ctx) {
      const inputs: PortShapes = Object.fromEntries(spec.inputs.map((port, i) => [port.name, [ctx.inputShapes[i]]]));
      const { definition, shapes } = expansion(p, inputs);
      return (xs) => {
        /** Output tensors per inner node, one per output port in port order. */
        const values = new Map<string, (typeof xs)[number][]>();
        const results = new Map<string, (typeof xs)[number]>();
        const byId = new Map(definition.nodes.map((n) => [n.id, n]));
        const { order } = topologicalOrder(
          definition.nodes.map((n) => n.id),
          definition.edges.map((e) => [e.from.node, e.to.node]),
        );
        const valueOf = (ref: PortRef) => {
          const source = getBlock(byId.get(ref.node)!.type);
          return values.get(ref.node)![Math.max(0, source?.outputs.indexOf(ref.port) ?? 0)];
        };
        const shapeOf = (ref: PortRef) => shapes.get(ref.node)![ref.port] ?? shapes.get(ref.node)!.out;
        for (const id of order) {
          const node = byId.get(id)!;
          const incoming = definition.edges.filter((e) => e.to.node === id);
          const block = getBlock(node.type);
          // Multi-input blocks take their inputs in port order, then edge order (as the compiler does).
          const sources = (block ? block.inputs.flatMap((port) => incoming.filter((e) => e.to.port === port.name)) : incoming).map((e) => e.from);
          if (node.type === GROUP_INPUT) {
            values.set(id, [xs[spec.inputs.findIndex((port) => port.name === portName(node))]]);
          } else if (node.type === GROUP_OUTPUT) {
            results.set(portName(node), valueOf(sources[0]));
          } else {
            if (!block?.build) throw new Error(`${spec.type} "${ctx.name}": inner block ${node.type} cannot be compiled yet`);
            const builder = block.build(block.params.parse(node.params), { ...ctx, name: `${ctx.name}.${id}`, inputShapes: sources.map(shapeOf) });
            const out = builder(sources.map(valueOf));
            values.set(id, Array.isArray(out) ? out : [out]);
          }
        }
        const outputs = spec.outputs.map((port) => results.get(port)!);
        return outputs.length === 1 ? outputs[0] : outputs;
      };
    },
  });
}
