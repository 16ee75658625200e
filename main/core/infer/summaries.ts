import type { TemplateSummary } from '../contract/schemas';
import { parseGraph } from '../ir/parseGraph';
import type { GraphIR } from '../ir/schema';
import type { GraphError } from '../errors';
import { inferGraph, type GraphReport } from './inferGraph';

/** A report with no nodes, for documents that do not even parse. */
export function failedReport(errors: GraphError[]): GraphReport {
  return { ok: false, nodes: [], outputs: [], totals: { params: 0, trainableParams: 0, buffers: 0, flops: 0, activationBytes: 0 }, errors };
}

/** Parses and checks any document (text or value): what the UI, the bridge and the CLI validate with. */
export function checkGraphDocument(document: unknown): GraphReport {
  const parsed = parseGraph(document);
  return parsed.ok ? inferGraph(parsed.graph) : failedReport(parsed.errors);
}

/** A template gallery card: task, input shape and size of a graph. */
export function summarizeGraph(name: string, graph: GraphIR): TemplateSummary {
  const report = inferGraph(graph);
  const input = graph.nodes.find((n) => n.type === 'Input');
  return {
    name,
    description: graph.meta.description ?? '',
    tasks: graph.meta.tasks ?? [],
    input: report.nodes.find((n) => n.id === input?.id)?.outShape ?? [],
    params: report.totals.params,
    trainableParams: report.totals.trainableParams,
    flops: report.totals.flops,
  };
}
