import { inferGraph } from '../../core';
import { WeightLoadSummarySchema } from '../../train/protocol';
import { EXIT_OK, InvalidInputError, printJsonLine, printTable } from '../output';
import { samplePredictionsHeading, samplePredictionsRows } from '../samplePredictionsTable';
import { openCliStore, type StoreOptions } from '../storeOption';
import { summarizeMetrics } from './runMetrics';

/**
 * `visionbench runs show <id>`: hyper-parameters, backend, IR hash, size, checkpoints, final and
 * best metrics, and the last epoch's sample predictions.
 */
export function runsShowCommand(runId: string, options: StoreOptions & { json?: boolean }): number {
  const { store } = openCliStore(options);
  try {
    const run = store.getRun(runId);
    if (!run) throw new InvalidInputError(`No run "${runId}" in ${store.file}`);
    const metrics = summarizeMetrics(store.getMetrics(runId));
    const totals = inferGraph(run.graph).totals;
    const { graph: _graph, metrics: _last, ...fields } = run;
    // What `train --resume` would continue from, and the best by the run's checkpoint metric.
    const checkpoints = store.listCheckpoints(runId).map((c) => ({ ...c, absolutePath: store.dataPath(c.path) }));
    const last = checkpoints.at(-1);
    const best = checkpoints.find((c) => c.isBest);
    // What loading initial weights matched, as the trainer stored it (train --load-weights).
    const report = store.listArtefacts(runId, 'weight_load_report').at(-1);
    const initialWeights = report?.blob ? WeightLoadSummarySchema.safeParse(JSON.parse(report.blob.toString('utf8'))) : undefined;
    const samplePredictions = store.listSamplePredictions(runId).at(-1) ?? null;
    if (options.json) {
      printJsonLine({
        ...fields,
        graphName: run.graph.name,
        params: totals.params,
        flops: totals.flops,
        metrics,
        checkpoints,
        ...(initialWeights?.success ? { initialWeights: initialWeights.data } : {}),
        samplePredictions,
      });
      return EXIT_OK;
    }
    const lines: [string, string][] = [
      ['run', run.id],
      ['name', run.name],
      ['status', run.status + (run.error ? ` (${run.error})` : '')],
      ['backend', run.backend ?? '-'],
      ['threads', run.threads?.toString() ?? '-'],
      ['created', run.createdAt],
      ['finished', run.finishedAt ?? '-'],
      ['epochs done', String(run.epochs)],
      ['images/s', run.imagesPerSecond?.toFixed(1) ?? '-'],
      ['IR hash', run.irHash],
      ['params', totals.params.toLocaleString('en-US')],
      ['last checkpoint', last ? `step ${last.step}: ${last.absolutePath}` : '-'],
      ['best checkpoint', best ? `step ${best.step}${best.metric ? ` (${best.metric.name} ${best.metric.value.toFixed(4)})` : ''}: ${best.absolutePath}` : '-'],
      ...(initialWeights?.success
        ? [['initial weights', `${initialWeights.data.source}: ${initialWeights.data.matched} of ${initialWeights.data.total} loaded (${initialWeights.data.mismatched.length} mismatched, ${initialWeights.data.missing.length} missing, ${initialWeights.data.unused.length} unused)`] as [string, string]]
        : []),
      ...Object.entries(run.hyperParams).map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
    ];
    printTable(lines.map(([k, v]) => [k, v]));
    if (metrics.length > 0) {
      process.stdout.write('\n');
      printTable([['METRIC', 'LAST', 'BEST', 'AT STEP'], ...metrics.map((m) => [m.name, m.last.toFixed(4), m.best.toFixed(4), String(m.bestStep)])], [1, 2, 3]);
    }
    if (samplePredictions) {
      process.stdout.write(`\n${samplePredictionsHeading(samplePredictions)}\n`);
      printTable(samplePredictionsRows(samplePredictions), [0, 1, 2, 3]);
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}
