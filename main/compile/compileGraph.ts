import type * as TF from '@tensorflow/tfjs';
// Registered before any model trains: tfjs-core's Tile gradient costs a kernel pair per repetition.
import './gradients/tileGradient';
import { expandGroups, getBlock, inferGraph, type GraphIR, type GraphReport, type HeadInfo, type PortRef } from '../core';
import { customLayers } from './layers';

export interface CompiledHead extends HeadInfo {
  /** Node id of the head; also the name of its TF.js output. */
  node: string;
  /** Output shape per sample, channels first. */
  outShape: number[];
}

export interface CompiledGraph {
  model: TF.LayersModel;
  heads: CompiledHead[];
  report: GraphReport;
}

export class GraphCompileError extends Error {
  constructor(readonly report: GraphReport) {
    super(`Graph is invalid:\n${report.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
}

/** Which nodes' blocks have no TF.js builder (yet): reported all at once before building anything. */
function uncompilable(graph: GraphIR): string[] {
  return graph.nodes.filter((n) => !getBlock(n.type)?.build).map((n) => `${n.type} "${n.id}"`);
}

/**
 * Compiles a graph IR into a TF.js functional model. A pure function of the IR: the same
 * document always gives the same architecture. Inputs are NHWC (TF.js's layout); the IR's
 * channels-first shapes are mapped block by block.
 */
export function compileGraph(document: GraphIR, tf: typeof TF): CompiledGraph {
  const checked = inferGraph(document);
  if (!checked.ok) throw new GraphCompileError(checked);
  // Groups compile as their contents: layers are named `<group>.<inner id>`.
  const graph = expandGroups(document).graph;
  const report = graph === document ? checked : inferGraph(graph);
  const missing = uncompilable(graph);
  if (missing.length > 0) throw new Error(`These blocks cannot be compiled to TF.js yet: ${missing.join(', ')}`);

  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  const reports = new Map(report.nodes.map((n) => [n.id, n]));
  /** Output tensors per node, one per output port in port order. */
  const symbolic = new Map<string, TF.SymbolicTensor[]>();
  const portIndex = (ref: PortRef) => Math.max(0, getBlock(nodesById.get(ref.node)!.type)!.outputs.indexOf(ref.port));
  const shapeOf = (ref: PortRef) => reports.get(ref.node)!.outShapes?.[ref.port] ?? reports.get(ref.node)!.outShape!;
  const inputs: TF.SymbolicTensor[] = [];

  for (const { id } of report.nodes) {
    const node = nodesById.get(id)!;
    const block = getBlock(node.type)!;
    const params = block.params.parse(node.params);
    const sources = block.inputs.flatMap((port) => graph.edges.filter((e) => e.to.node === id && e.to.port === port.name).map((e) => e.from));
    const builder = block.build!(params, { tf, layers: customLayers, name: id, inputShapes: sources.map(shapeOf) });
    const out = builder(sources.map((s) => symbolic.get(s.node)![portIndex(s)]));
    symbolic.set(id, Array.isArray(out) ? out : [out]);
    if (block.inputs.length === 0) inputs.push(...symbolic.get(id)!);
  }

  const heads: CompiledHead[] = report.outputs.flatMap((id) => {
    const node = nodesById.get(id)!;
    const block = getBlock(node.type)!;
    if (!block.head) return [];
    return [{ node: id, outShape: reports.get(id)!.outShape!, ...block.head(block.params.parse(node.params)) }];
  });
  const model = tf.model({ inputs, outputs: report.outputs.flatMap((id) => symbolic.get(id)!), name: graph.name });
  for (const node of graph.nodes) {
    // A block may build several layers: `<id>`, helpers named `<id>__<part>`, and a composite's `<id>.<inner>`.
    const owns = (name: string) => name === node.id || name.startsWith(`${node.id}__`) || name.startsWith(`${node.id}.`);
    if (node.frozen) for (const layer of model.layers.filter((l) => owns(l.name))) layer.trainable = false;
  }
  return { model, heads, report };
}
