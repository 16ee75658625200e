import { inferGraph } from '../../core';
import { EXIT_OK, InvalidInputError, printJsonLine, printTable } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';
import { summarizeMetrics } from './runMetrics';

/** `visionbench runs show <id>`: hyper-parameters, backend, IR hash, size, final and best metrics. */
export function runsShowCommand(runId: string, options: StoreOptions & { json?: boolean }): number {
  const { store } = openCliStore(options);
  try {
    const run = store.getRun(runId);
    if (!run) throw new InvalidInputError(`No run "${runId}" in ${store.file}`);
    const metrics = summarizeMetrics(store.getMetrics(runId));
    const totals = inferGraph(run.graph).totals;
    const { graph: _graph, metrics: _last, ...fields } = run;
    if (options.json) {
      printJsonLine({ ...fields, graphName: run.graph.name, params: totals.params, flops: totals.flops, metrics });
      return EXIT_OK;
    }
    const lines: [string, string][] = [
      ['run', run.id],
      ['name', run.name],
      ['status', run.status + (run.error ? ` (${run.error})` : '')],
      ['backend', run.backend ?? '-'],
      ['created', run.createdAt],
      ['finished', run.finishedAt ?? '-'],
      ['epochs done', String(run.epochs)],
      ['images/s', run.imagesPerSecond?.toFixed(1) ?? '-'],
      ['IR hash', run.irHash],
      ['params', totals.params.toLocaleString('en-US')],
      ...Object.entries(run.hyperParams).map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
    ];
    printTable(lines.map(([k, v]) => [k, v]));
    if (metrics.length > 0) {
      process.stdout.write('\n');
      printTable([['METRIC', 'LAST', 'BEST', 'AT STEP'], ...metrics.map((m) => [m.name, m.last.toFixed(4), m.best.toFixed(4), String(m.bestStep)])], [1, 2, 3]);
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}
