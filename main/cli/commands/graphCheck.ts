import { failedReport, formatBytes, formatCount, formatFlops, formatShapeForPeople, inferGraph } from '../../core';
import { readGraphArgument } from '../../templates/templateLibrary';
import { withOverrides, type GraphOverrideOptions } from '../graphOptions';
import { EXIT_INVALID_INPUT, EXIT_OK, printJsonLine, printTable } from '../output';

/**
 * `visionbench graph check <file|template> [--json]`: every node's shape, parameters and
 * FLOPs, then totals; exit 1 listing every error when the graph is invalid.
 */
export function graphCheckCommand(target: string, options: GraphOverrideOptions & { json?: boolean }): number {
  const source = readGraphArgument(target);
  const report = source.ok ? inferGraph(withOverrides(source.graph, options)) : failedReport(source.errors);
  if (options.json) {
    printJsonLine({
      ok: report.ok,
      nodes: report.nodes.map(({ id, type, outShape, params, flops }) => ({ id, type, outShape, params, flops })),
      outputs: report.outputs,
      totals: report.totals,
      errors: report.errors,
    });
    return report.ok ? EXIT_OK : EXIT_INVALID_INPUT;
  }
  if (report.nodes.length > 0) {
    printTable(
      [
        ['NODE', 'TYPE', 'OUTPUT', 'PARAMS', 'FLOPS'],
        ...report.nodes.map((n) => [n.id, n.type, formatShapeForPeople(n.outShape), n.params.toLocaleString('en-US'), formatFlops(n.flops)]),
      ],
      [3, 4],
    );
    const t = report.totals;
    process.stdout.write(
      `\nTotal: ${t.params.toLocaleString('en-US')} params (${formatCount(t.params)}; trainable ${formatCount(t.trainableParams)}), ` +
        `${formatCount(t.buffers)} buffers, ${formatFlops(t.flops)} per sample, ${formatBytes(t.activationBytes)} activations per sample\n`,
    );
  }
  if (!report.ok) {
    process.stderr.write(`\n${source.source} has ${report.errors.length} error(s):\n`);
    for (const e of report.errors) process.stderr.write(`  ${e.code}${e.node ? ` at ${e.node}` : ''}: ${e.message}\n`);
    return EXIT_INVALID_INPUT;
  }
  return EXIT_OK;
}
