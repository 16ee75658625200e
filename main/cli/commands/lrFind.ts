import type { z } from 'zod';
import type { LrFinderOutcome } from '../../train/launchTrainer';
import { LrRangeTestOptionsSchema } from '../../train/lrFinder';
import type { FromTrainer, LrFindJob } from '../../train/protocol';
import { startLrFinder } from '../../train/runTraining';
import { rangeTestPlot, rangeTestSummary, rangeTestTable } from '../lrFindPlot';
import { EXIT_INTERNAL, EXIT_INVALID_INPUT, EXIT_OK, InvalidInputError, printJsonLine } from '../output';
import { openCliStore } from '../storeOption';
import { parseBackend, readTrainingGraph, syntheticData, weightSource, type TrainingJobOptions } from '../trainingJobOptions';
import { checkTrainable, resolveHyperParams } from '../trainSettings';
import { formatLearningRate } from '../trainProgress';
import { describeWeightReport } from '../trainReporters';

export interface LrFindOptions extends TrainingJobOptions {
  minLr?: number;
  maxLr?: number;
  steps?: number;
}

/** --min-lr, --max-lr and --steps, each named when bad. */
function rangeTestOptions(o: LrFindOptions): z.output<typeof LrRangeTestOptionsSchema> {
  const parsed = LrRangeTestOptionsSchema.safeParse({ minLr: o.minLr, maxLr: o.maxLr, steps: o.steps });
  if (parsed.success) return parsed.data;
  const flag: Record<string, string> = { minLr: '--min-lr', maxLr: '--max-lr', steps: '--steps' };
  const problems = parsed.error.issues.map((i) =>
    i.path.length === 0 ? `--max-lr must be greater than --min-lr (got ${o.maxLr ?? 10} and ${o.minLr ?? 1e-7})` : `${flag[String(i.path[0])]}: ${i.message}`,
  );
  throw new InvalidInputError(problems.join('\n'), problems);
}

/**
 * `visionbench lr-find <graph|template> --synthetic`: the learning-rate range test in a trainer
 * process, on the model, data and optimiser `train` would use with the same flags. It records
 * no run (a probe, not an experiment). Prints the loss against the rate — a text plot on a
 * terminal, a table in a pipe, every point with --json — and the suggested rates.
 */
export async function lrFindCommand(target: string, options: LrFindOptions): Promise<number> {
  const backend = parseBackend(options.backend);
  const graph = readTrainingGraph(target, options);
  const rangeTest = rangeTestOptions(options);
  // Epochs do not apply: the range test runs its steps through as many epochs as they take.
  const hyperParams = { ...resolveHyperParams(graph, { ...options, epochs: undefined }), epochs: 1 };
  checkTrainable(graph, hyperParams);
  let loadWeights: LrFindJob['loadWeights'];
  if (options.loadWeights !== undefined) {
    const { store } = openCliStore(options);
    try {
      loadWeights = weightSource(store, options.loadWeights);
    } finally {
      store.close();
    }
  }
  const job: LrFindJob = { graph, hyperParams, data: syntheticData(options, hyperParams.seed), backend, threads: options.threads, rangeTest, ...(loadWeights ? { loadWeights } : {}) };

  const json = options.json === true;
  const tty = process.stderr.isTTY === true;
  const onMessage = (m: FromTrainer) => {
    if (json) {
      if (m.type === 'ready') printJsonLine({ event: 'ready', backend: m.backend.label, threads: m.backend.threads });
      if (m.type === 'weights') printJsonLine({ event: 'weights', ...m.report });
      if (m.type === 'lrPoint') printJsonLine({ event: 'point', step: m.step, ...m.point });
      return;
    }
    if (m.type === 'ready') process.stderr.write(`Range test on ${m.backend.label}: up to ${rangeTest.steps} steps from ${formatLearningRate(rangeTest.minLr)} to ${formatLearningRate(rangeTest.maxLr)}\n`);
    if (m.type === 'weights') process.stderr.write(`${describeWeightReport(m.report)}\n`);
    if (m.type === 'lrPoint' && tty) process.stderr.write(`\r\x1b[2Kstep ${m.step + 1}/${m.steps} | lr ${formatLearningRate(m.point.learningRate)} | loss ${m.point.loss.toFixed(4)}`);
  };
  if (json) printJsonLine({ event: 'started', steps: rangeTest.steps, minLr: rangeTest.minLr, maxLr: rangeTest.maxLr });
  const finder = startLrFinder(job, onMessage);
  const interrupt = () => finder.cancel();
  process.on('SIGINT', interrupt);
  let outcome: LrFinderOutcome;
  try {
    outcome = await finder.done;
  } finally {
    process.off('SIGINT', interrupt);
  }
  if (!json && tty) process.stderr.write('\r\x1b[2K');

  if (outcome.status === 'failed') {
    if (json) printJsonLine({ event: 'summary', status: 'failed', error: outcome.error, ...(outcome.code ? { code: outcome.code } : {}) });
    else process.stderr.write(`Range test failed: ${outcome.error}\n`);
    return outcome.code === 'invalid_input' ? EXIT_INVALID_INPUT : EXIT_INTERNAL;
  }
  const result = outcome.result;
  if (json) {
    printJsonLine({ event: 'summary', status: 'finished', ...result });
  } else {
    process.stdout.write(`${process.stdout.isTTY ? rangeTestPlot(result.points, result.suggestion) : rangeTestTable(result.points)}\n${rangeTestSummary(result)}\n`);
  }
  return EXIT_OK;
}
