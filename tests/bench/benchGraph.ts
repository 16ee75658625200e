/**
 * The graph a bench case runs, written once for both engines: the template with the case's
 * input size and class count applied, and its flattened form for the PyTorch reference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyOverrides, expandComposite, expandGroups, getBlock, inferGraph, type GraphIR, type GraphReport, type PortShapes } from '../../main/core';
import { loadTemplate } from '../../main/templates/templateLibrary';
import type { BenchGraphFile, ReferenceNode } from './benchProtocol';

/** Composites may contain composites; deeper than this means something refers to itself. */
const MAX_NESTING = 16;

function checked(graph: GraphIR): GraphReport {
  const report = inferGraph(graph);
  if (!report.ok) throw new Error(report.errors.map((e) => e.message).join('; '));
  return report;
}

/** Sources of each input port of `id`, in the order the compiler passes them: port order, then edge order. */
function sourcesOf(graph: GraphIR, id: string, type: string) {
  const ports = getBlock(type)?.inputs.map((p) => p.name) ?? [];
  return ports.flatMap((port) => graph.edges.filter((e) => e.to.node === id && e.to.port === port).map((e) => ({ port, from: e.from })));
}

/**
 * Replaces groups and registry composites (BasicBlock, MBConv…) by the plain blocks they stand
 * for, with inner ids `<node>.<inner>` as the compiler names its layers. A reference engine then
 * needs to know plain blocks only.
 */
export function flattenGraph(graph: GraphIR): GraphIR {
  let flat = expandGroups(graph).graph;
  for (let depth = 0; depth < MAX_NESTING; depth++) {
    const report = checked(flat);
    const shapes = new Map(report.nodes.map((n) => [n.id, n]));
    const groups: NonNullable<GraphIR['groups']> = {};
    const nodes = flat.nodes.map((node) => {
      const inputs: PortShapes = {};
      for (const { port, from } of sourcesOf(flat, node.id, node.type)) {
        const source = shapes.get(from.node)!;
        (inputs[port] ??= []).push(source.outShapes?.[from.port] ?? source.outShape!);
      }
      const definition = expandComposite(node.type, node.params, inputs);
      if (!definition) return node;
      const ref = `composite:${node.id}`;
      groups[ref] = definition;
      return { id: node.id, type: 'Group', params: { ref }, ...(node.frozen ? { frozen: true } : {}) };
    });
    if (Object.keys(groups).length === 0) return flat;
    flat = expandGroups({ ...flat, nodes, groups }).graph;
  }
  throw new Error(`composite blocks nest deeper than ${MAX_NESTING} levels`);
}

/** The flattened nodes with defaults, sources and shapes, in topological order. */
function referenceNodes(flat: GraphIR, report: GraphReport): ReferenceNode[] {
  const byId = new Map(flat.nodes.map((n) => [n.id, n]));
  const shapes = new Map(report.nodes.map((n) => [n.id, n]));
  return report.nodes.map(({ id }) => {
    const node = byId.get(id)!;
    const block = getBlock(node.type)!;
    const sources = sourcesOf(flat, id, node.type).map((s) => s.from);
    for (const s of sources) {
      if (getBlock(byId.get(s.node)!.type)!.outputs.length > 1) throw new Error(`"${id}" reads port "${s.port}" of multi-output "${s.node}": the reference engine takes single-output blocks only`);
    }
    return {
      id,
      type: node.type,
      params: block.params.parse(node.params) as Record<string, unknown>,
      inputs: sources.map((s) => s.node),
      inShapes: sources.map((s) => shapes.get(s.node)!.outShape!),
      outShape: shapes.get(id)!.outShape!,
    };
  });
}

export interface BenchCase {
  template: string;
  input: [number, number, number];
  /** Class count of the head; undefined keeps the template's. */
  classes?: number;
}

/**
 * Builds the case's graph file. Throws, with the reason, for what the bench cannot run: an
 * invalid override (a patch size that no longer divides the image) or anything other than one
 * classification head.
 */
export function benchGraph(c: BenchCase): BenchGraphFile {
  const graph = applyOverrides(loadTemplate(c.template), { input: c.input, classes: c.classes });
  const report = checked(graph);
  const heads = report.outputs.map((id) => graph.nodes.find((n) => n.id === id)!);
  if (heads.length !== 1 || heads[0].type !== 'ClassificationHead') {
    throw new Error(`the bench trains one ClassificationHead; ${c.template} ends in ${heads.map((h) => h.type).join(', ')}`);
  }
  const flat = flattenGraph(graph);
  const flatReport = checked(flat);
  return {
    template: c.template,
    input: c.input,
    classes: report.nodes.find((n) => n.id === heads[0].id)!.outShape![0],
    params: report.totals.params,
    graph,
    nodes: referenceNodes(flat, flatReport),
    output: flatReport.outputs[0],
  };
}

/** Writes the file to a fresh temporary folder; the caller removes the folder. */
export function writeBenchGraph(file: BenchGraphFile): { path: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-bench-'));
  const target = path.join(dir, `${file.template}-${file.input.join('x')}.json`);
  fs.writeFileSync(target, JSON.stringify(file));
  return { path: target, dir };
}
