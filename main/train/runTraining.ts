import type { GraphIR } from '../core';
import type { ExperimentStore } from '../store/openStore';
import type { Checkpoint } from '../store/artefacts';
import type { CheckpointMetric } from './checkpointMetric';
import { launchLrFinder, launchTrainer, type LrFinderHandle, type TrainerHandle, type TrainerOutcome } from './launchTrainer';
import {
  BackendNameSchema,
  RecordedSettingsSchema,
  type DataSpec,
  type FromTrainer,
  type HyperParams,
  type LoadWeights,
  type LrFindJob,
  type RecordedSettings,
  type TrainJob,
} from './protocol';
import { trainingImageCount } from './trainingData';

export interface TrainingRequest {
  store: ExperimentStore;
  storeFile: string;
  graph: GraphIR;
  hyperParams: HyperParams;
  data: DataSpec;
  backend?: TrainJob['backend'];
  threads?: number;
  checkpointMetric?: CheckpointMetric;
  /** Initial weights (see ./weightSourceArgument); recorded with the run. */
  loadWeights?: LoadWeights;
  onMessage?(message: FromTrainer): void;
}

export interface ResumeRequest {
  store: ExperimentStore;
  storeFile: string;
  runId: string;
  /** Train up to this many epochs in all (default: the run's own count). */
  epochs?: number;
  /** Default: the backend and thread count the run last trained with, which an exact resume needs. */
  backend?: TrainJob['backend'];
  threads?: number;
  onMessage?(message: FromTrainer): void;
}

export interface StartedTraining {
  runId: string;
  trainer: TrainerHandle;
  /** Resolves once the trainer has exited and the run's final status is in the store. */
  outcome: Promise<TrainerOutcome>;
}

/** A resume that cannot start, because of what was asked (no such run, nothing to resume…). */
export class ResumeError extends Error {
  readonly code = 'cannot_resume';
}

/** Registers a run in the store and trains it in its own process. */
export function startTraining(request: TrainingRequest): StartedTraining {
  const { store, graph, hyperParams } = request;
  const settings: RecordedSettings = {
    ...hyperParams,
    data: request.data,
    ...(request.checkpointMetric ? { checkpointMetric: request.checkpointMetric } : {}),
    ...(request.loadWeights ? { loadWeights: request.loadWeights } : {}),
  };
  const runId = store.createRun({ name: graph.name, graph, hyperParams: settings, backend: request.backend ?? null, seed: hyperParams.seed });
  const job: TrainJob = {
    runId,
    storeFile: request.storeFile,
    graph,
    hyperParams,
    data: request.data,
    backend: request.backend,
    threads: request.threads,
    checkpointMetric: request.checkpointMetric,
    loadWeights: request.loadWeights,
  };
  return launch(store, job, request.onMessage);
}

/**
 * Runs a learning-rate range test in a trainer process. It records no run: it is a probe that
 * spends a model's weights to pick a rate, not an experiment anyone resumes or compares.
 */
export function startLrFinder(job: LrFindJob, onMessage?: (message: FromTrainer) => void): LrFinderHandle {
  return launchLrFinder(job, onMessage);
}

/**
 * Continues a finished, failed or cancelled run from its latest checkpoint: same run id,
 * metrics appended, status running again, optionally more epochs. Everything else — graph,
 * hyper-parameters, data, checkpoint metric — is the run's own, so the steps replay what
 * an uninterrupted run would have done.
 */
export function resumeTraining(request: ResumeRequest): StartedTraining & { checkpoint: Checkpoint } {
  const { store, runId } = request;
  const run = store.getRun(runId);
  if (!run) throw new ResumeError(`No run with id "${runId}"`);
  if (run.status === 'running' || run.status === 'queued') throw new ResumeError(`Run ${runId} is ${run.status}; only a finished, failed or cancelled run can be resumed`);
  const recorded = RecordedSettingsSchema.safeParse(run.hyperParams);
  if (!recorded.success) throw new ResumeError(`Run ${runId} was recorded without the settings a resume needs (${recorded.error.issues.map((i) => i.path.join('.') || i.message).join(', ')})`);
  const checkpoint = store.listCheckpoints(runId).at(-1);
  if (!checkpoint) throw new ResumeError(`Run ${runId} has no checkpoint to resume from: it stopped before its first checkpoint`);

  // Initial weights were loaded once, at the start; the checkpoint holds what became of them.
  const { data, checkpointMetric, loadWeights: _loadedAtStart, ...hyperParams } = recorded.data;
  const epochs = request.epochs ?? hyperParams.epochs;
  const stepsPerEpoch = Math.ceil(trainingImageCount(data) / hyperParams.batchSize);
  if (checkpoint.step >= epochs * stepsPerEpoch) {
    const done = Math.floor(checkpoint.step / stepsPerEpoch);
    throw new ResumeError(`Run ${runId} has already trained ${done} epoch(s); ask for more (--epochs ${done + 1} or above) to train it further`);
  }
  const backend = request.backend ?? backendOfLabel(run.backend);
  const threads = request.threads ?? run.threads ?? undefined;
  store.reopenRun(runId, { ...recorded.data, epochs });
  const job: TrainJob = {
    runId,
    storeFile: request.storeFile,
    graph: run.graph,
    hyperParams: { ...hyperParams, epochs },
    data,
    backend,
    threads,
    checkpointMetric,
    resumeFrom: { checkpointId: checkpoint.id },
  };
  return { ...launch(store, job, request.onMessage), checkpoint };
}

function launch(store: ExperimentStore, job: TrainJob, onMessage?: (message: FromTrainer) => void): StartedTraining {
  const trainer = launchTrainer(job, onMessage);
  const outcome = trainer.done.then((result) => {
    // A trainer that died without a word cannot have recorded its end: record it here.
    if (result.status === 'failed' && result.exitedUnexpectedly) {
      try {
        store.finishRun(job.runId, { status: 'failed', error: result.error });
      } catch {
        // The store's stale-run recovery got there first: the run is already failed.
      }
    }
    return result;
  });
  return { runId: job.runId, trainer, outcome };
}

/** The backend name a run's recorded label starts with (`wasm ×2 threads` → `wasm`). */
function backendOfLabel(label: string | null): TrainJob['backend'] {
  if (!label) return undefined;
  return BackendNameSchema.options.find((name) => label === name || label.startsWith(`${name} `));
}
