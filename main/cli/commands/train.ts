import type { Command } from 'commander';
import { parseCheckpointMetric, type CheckpointMetric } from '../../train/checkpointMetric';
import type { TrainerOutcome } from '../../train/launchTrainer';
import type { FromTrainer, TrainJob } from '../../train/protocol';
import { resumeTraining, ResumeError, startTraining, type StartedTraining } from '../../train/runTraining';
import { fitTrainingBatch } from '../batchSizeFit';
import { scaleLearningRateForBatch } from '../../train/learningRateScaling';
import { EXIT_INTERNAL, EXIT_INVALID_INPUT, EXIT_OK, InvalidInputError } from '../output';
import { openCliStore } from '../storeOption';
import { parseBackend, readTrainingGraph, syntheticData, weightSource, type TrainingJobOptions } from '../trainingJobOptions';
import { checkTrainable, resolveHyperParams } from '../trainSettings';
import { humanTrainReporter, jsonTrainReporter, type TrainReporter } from '../trainReporters';

export interface TrainOptions extends TrainingJobOptions {
  resume?: string;
  schedule?: string;
  earlyStop?: string;
  earlyStopMinDelta?: number;
  plateauPatience?: number;
  plateauFactor?: number;
  plateauMetric?: string;
  fineTune?: boolean;
  fineTuneEpochs?: string;
  checkpointMetric?: string;
}

/** Options that shape a new run; a resume keeps the run's own, so giving one is a mistake. */
const FIXED_ON_RESUME: (keyof TrainOptions)[] = [
  'input', 'classes', 'batch', 'lr', 'optimizer', 'weightDecay', 'clipNorm', 'clipValue', 'schedule', 'seed',
  'trainSize', 'valSize', 'overfit', 'freeze', 'unfreeze', 'checkpointMetric', 'labelSmoothing', 'lrMult',
  'earlyStop', 'earlyStopMinDelta', 'plateauPatience', 'plateauFactor', 'plateauMetric', 'lossWeighting',
  'loadWeights', 'fineTune', 'fineTuneEpochs',
];

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * `visionbench train <graph|template> --synthetic` trains a new run; `visionbench train
 * --resume <runId>` continues one from its last checkpoint. Either way the work happens in
 * a trainer process; Ctrl-C cancels it cleanly (a checkpoint, the run marked cancelled),
 * a second Ctrl-C ends it at once.
 */
export async function trainCommand(target: string | undefined, options: TrainOptions, command?: Command): Promise<number> {
  const backend = parseBackend(options.backend);

  if (options.resume !== undefined) {
    if (target !== undefined) throw new InvalidInputError(`Give either a graph to train or --resume <run>, not both (got "${target}" and --resume ${options.resume})`);
    const given = FIXED_ON_RESUME.filter((key) => command?.getOptionValueSource(key) === 'cli');
    if (given.length > 0) {
      throw new InvalidInputError(`--resume continues run ${options.resume} with its own settings; these cannot change: ${given.map(flagOf).join(', ')} (only --epochs, --backend and --threads can)`);
    }
  } else if (target === undefined) {
    throw new InvalidInputError('Say what to train: a graph file or template name, or --resume <run>');
  }
  const request = options.resume === undefined ? newRunRequest(target!, options, backend) : undefined;

  const reporter: TrainReporter = options.json ? jsonTrainReporter() : humanTrainReporter();
  const onMessage = (m: FromTrainer) => reporter.onMessage(m);
  const { store, file } = openCliStore(options);
  try {
    let started: StartedTraining;
    if (request) {
      const loadWeights = weightSource(store, options.loadWeights);
      const { batch, ...job } = request;
      started = startTraining({ store, storeFile: file, ...job, loadWeights, backend, threads: options.threads, onMessage });
      reporter.begin({ runId: started.runId, ...(batch.capped ? { batchSizeCapped: batch.capped } : {}) });
      if (batch.warning) reporter.note('warning', batch.warning);
    } else {
      const resumed = asInvalidInput(() =>
        resumeTraining({ store, storeFile: file, runId: options.resume!, epochs: options.epochs, backend, threads: options.threads, onMessage }),
      );
      started = resumed;
      reporter.begin({ runId: resumed.runId, resumedFromStep: resumed.checkpoint.step });
    }
    const outcome = await untilDone(started, reporter);
    reporter.finish(started.runId, outcome);
    if (outcome.status !== 'failed') return EXIT_OK;
    return outcome.code === 'invalid_input' ? EXIT_INVALID_INPUT : EXIT_INTERNAL;
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

function newRunRequest(target: string, options: TrainOptions, backend: TrainJob['backend']) {
  const graph = readTrainingGraph(target, options);
  let checkpointMetric: CheckpointMetric | undefined;
  if (options.checkpointMetric !== undefined) {
    const parsed = parseCheckpointMetric(options.checkpointMetric);
    if ('error' in parsed) throw new InvalidInputError(parsed.error);
    checkpointMetric = parsed;
  }
  const resolved = resolveHyperParams(graph, options);
  // A recipe's ImageNet batch would not fit a wasm heap: lowered to one that does (../batchSizeFit).
  const batch = fitTrainingBatch(graph, resolved, { batchGiven: options.batch !== undefined, backend });
  // The recipe's rate was tuned for the recipe's batch: scaled with it unless --lr was given.
  const rescaled = batch.capped && options.lr === undefined ? scaleLearningRateForBatch(resolved.learningRate, resolved.optimizer, batch.capped.from, batch.capped.to) : undefined;
  if (rescaled && batch.capped) batch.capped.reason += `; learning rate ${resolved.learningRate} → ${Number(rescaled.learningRate.toPrecision(3))} (${rescaled.rule} scaling rule)`;
  const hyperParams = { ...resolved, batchSize: batch.batchSize, ...(rescaled ? { learningRate: rescaled.learningRate } : {}) };
  checkTrainable(graph, hyperParams, checkpointMetric);
  return { graph, hyperParams, data: syntheticData(options, hyperParams.seed), checkpointMetric, batch };
}
