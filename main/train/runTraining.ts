import type { GraphIR } from '../core';
import type { ExperimentStore } from '../store/openStore';
import { launchTrainer, type TrainerHandle, type TrainerOutcome } from './launchTrainer';
import type { DataSpec, FromTrainer, HyperParams, TrainJob } from './protocol';

export interface TrainingRequest {
  store: ExperimentStore;
  storeFile: string;
  graph: GraphIR;
  hyperParams: HyperParams;
  data: DataSpec;
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

/** Registers a run in the store and trains it in its own process. */
export function startTraining(request: TrainingRequest): StartedTraining {
  const { store, graph, hyperParams } = request;
  const runId = store.createRun({ name: graph.name, graph, hyperParams: { ...hyperParams, data: request.data }, backend: request.backend ?? null, seed: hyperParams.seed });
  const trainer = launchTrainer(
    { runId, storeFile: request.storeFile, graph, hyperParams, data: request.data, backend: request.backend, threads: request.threads },
    request.onMessage,
  );
  const outcome = trainer.done.then((result) => {
    // A trainer that died without a word cannot have recorded its end: record it here.
    if (result.status === 'failed' && result.exitedUnexpectedly) store.finishRun(runId, { status: 'failed', error: result.error });
    return result;
  });
  return { runId, trainer, outcome };
}
