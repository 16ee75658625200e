import type { Command } from 'commander';
import { inferGraph, RecipeSchema } from '../../core';
import { readGraphArgument } from '../../templates/templateLibrary';
import { parseCheckpointMetric, type CheckpointMetric } from '../../train/checkpointMetric';
import type { TrainerOutcome } from '../../train/launchTrainer';
import { BackendNameSchema, HyperParamsSchema, type FromTrainer, type HyperParams } from '../../train/protocol';
import { resumeTraining, ResumeError, startTraining, type StartedTraining } from '../../train/runTraining';
import { withFreezeOverrides, withOverrides, type FreezeOptions, type GraphOverrideOptions } from '../graphOptions';
import { EXIT_INTERNAL, EXIT_OK, InvalidInputError } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';
import { humanTrainReporter, jsonTrainReporter, type TrainReporter } from '../trainReporters';

export interface TrainOptions extends StoreOptions, GraphOverrideOptions, FreezeOptions {
  synthetic?: boolean;
  resume?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: string;
  weightDecay?: number;
  clipNorm?: number;
  schedule?: string;
  seed?: number;
  trainSize: number;
  overfit?: number;
  valSize: number;
  backend?: string;
  threads?: number;
  checkpointMetric?: string;
  json?: boolean;
}

/** Options that shape a new run; a resume keeps the run's own, so giving one is a mistake. */
const FIXED_ON_RESUME: (keyof TrainOptions)[] = [
  'input', 'classes', 'batch', 'lr', 'optimizer', 'weightDecay', 'clipNorm', 'schedule', 'seed',
  'trainSize', 'valSize', 'overfit', 'freeze', 'unfreeze', 'checkpointMetric',
];

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * `visionbench train <graph|template> --synthetic` trains a new run; `visionbench train
 * --resume <runId>` continues one from its last checkpoint. Either way the work happens in
 * a trainer process; Ctrl-C cancels it cleanly (a checkpoint, the run marked cancelled),
 * a second Ctrl-C ends it at once.
 */
export async function trainCommand(target: string | undefined, options: TrainOptions, command?: Command): Promise<number> {
  const backend = options.backend === undefined ? undefined : BackendNameSchema.safeParse(options.backend);
  if (backend && !backend.success) throw new InvalidInputError(`--backend must be one of ${BackendNameSchema.options.join(', ')}; got "${options.backend}"`);

  if (options.resume !== undefined) {
    if (target !== undefined) throw new InvalidInputError(`Give either a graph to train or --resume <run>, not both (got "${target}" and --resume ${options.resume})`);
    const given = FIXED_ON_RESUME.filter((key) => command?.getOptionValueSource(key) === 'cli');
    if (given.length > 0) {
      throw new InvalidInputError(`--resume continues run ${options.resume} with its own settings; these cannot change: ${given.map(flagOf).join(', ')} (only --epochs, --backend and --threads can)`);
    }
  } else if (target === undefined) {
    throw new InvalidInputError('Say what to train: a graph file or template name, or --resume <run>');
  }
  const request = options.resume === undefined ? newRunRequest(target!, options) : undefined;

  const reporter: TrainReporter = options.json ? jsonTrainReporter() : humanTrainReporter();
  const onMessage = (m: FromTrainer) => reporter.onMessage(m);
  const { store, file } = openCliStore(options);
  try {
    let started: StartedTraining;
    if (request) {
      started = startTraining({ store, storeFile: file, ...request, backend: backend?.data, threads: options.threads, onMessage });
      reporter.begin({ runId: started.runId });
    } else {
      const resumed = asInvalidInput(() =>
        resumeTraining({ store, storeFile: file, runId: options.resume!, epochs: options.epochs, backend: backend?.data, threads: options.threads, onMessage }),
      );
      started = resumed;
      reporter.begin({ runId: resumed.runId, resumedFromStep: resumed.checkpoint.step });
    }
    const outcome = await untilDone(started, reporter);
    reporter.finish(started.runId, outcome);
    return outcome.status === 'failed' ? EXIT_INTERNAL : EXIT_OK;
  } finally {
    store.close();
  }
}

/** A resume refused for what was asked is the user's to fix: exit 1, not 2. */
function asInvalidInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ResumeError) throw new InvalidInputError(error.message);
    throw error;
  }
}

/** Waits for the trainer, turning Ctrl-C (and SIGTERM) into a clean cancel, a second Ctrl-C into a kill. */
async function untilDone(started: StartedTraining, reporter: TrainReporter): Promise<TrainerOutcome> {
  let interrupts = 0;
  const interrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      reporter.note('cancelling', 'Cancelling: the trainer stops after this step and writes a checkpoint (Ctrl-C again stops it at once)');
      started.trainer.cancel();
    } else {
      reporter.note('killing', 'Stopping the trainer now: the run will be failed, its last checkpoint kept');
      started.trainer.kill();
    }
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    return await started.outcome;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

function newRunRequest(target: string, options: TrainOptions) {
  const source = readGraphArgument(target);
  if (!source.ok) throw new InvalidInputError(source.errors.map((e) => e.message).join('\n'), source.errors);
  const graph = withFreezeOverrides(withOverrides(source.graph, options), options);
  const report = inferGraph(graph);
  if (!report.ok) throw new InvalidInputError(`${source.source} is invalid:\n${report.errors.map((e) => `  ${e.message}`).join('\n')}`, report.errors);
  if (!options.synthetic) throw new InvalidInputError('Say where the data comes from: --synthetic (the built-in 10-class shapes set)');
  let checkpointMetric: CheckpointMetric | undefined;
  if (options.checkpointMetric !== undefined) {
    const parsed = parseCheckpointMetric(options.checkpointMetric);
    if ('error' in parsed) throw new InvalidInputError(parsed.error);
    checkpointMetric = parsed;
  }
  const hyperParams = resolveHyperParams(graph.meta.recipe, options);
  const data = { kind: 'synthetic' as const, trainCount: options.trainSize, valCount: options.valSize, seed: hyperParams.seed, overfit: options.overfit };
  return { graph, hyperParams, data, checkpointMetric };
}

function resolveHyperParams(recipe: unknown, o: TrainOptions): HyperParams {
  const base = RecipeSchema.safeParse(recipe);
  const defaults = base.success ? base.data : { epochs: 1, batchSize: 32, optimizer: 'adam' as const, learningRate: 0.001, schedule: 'constant' as const, weightDecay: 0 };
  const parsed = HyperParamsSchema.safeParse({
    epochs: o.epochs ?? defaults.epochs,
    batchSize: o.batch ?? defaults.batchSize,
    optimizer: o.optimizer ?? defaults.optimizer,
    learningRate: o.lr ?? defaults.learningRate,
    schedule: o.schedule ?? defaults.schedule,
    weightDecay: o.weightDecay ?? defaults.weightDecay ?? 0,
    clipNorm: o.clipNorm,
    seed: o.seed ?? 1,
  });
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return parsed.data;
}
