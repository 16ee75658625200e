import { createRequire } from 'node:module';
import type { GraphIR } from '../core';
import { estimateTrainingMemory, fitBatchSize, memoryBudget, trainingMemoryParts, type BatchDecision } from '../train/batchBudget';
import type { HyperParams, TrainJob } from '../train/protocol';

const require = createRequire(import.meta.url);

type BackendName = NonNullable<TrainJob['backend']>;

function installed(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend a job will train on, guessed before the trainer starts: the one asked for, else
 * the first of selectBackend's order whose package is installed. tfjs-node is an optional
 * dependency that rarely installs, so the usual answer is wasm — the backend with the tightest
 * memory, which is the safe side to plan a batch for.
 */
export function expectedBackend(requested: TrainJob['backend']): BackendName {
  if (requested) return requested;
  if (installed('@tensorflow/tfjs-node-gpu')) return 'tensorflow-gpu';
  if (installed('@tensorflow/tfjs-node')) return 'tensorflow';
  return 'wasm';
}

/**
 * `train`'s batch size checked against the memory of the backend it will run on
 * (../train/batchBudget): a recipe's batch that does not fit is lowered, a --batch is kept
 * with a warning.
 */
export function fitTrainingBatch(graph: GraphIR, hyperParams: HyperParams, options: { batchGiven: boolean; backend: TrainJob['backend'] }): BatchDecision {
  const backend = expectedBackend(options.backend);
  return fitBatchSize({
    batchSize: hyperParams.batchSize,
    fromRecipe: !options.batchGiven,
    estimate: estimateTrainingMemory(trainingMemoryParts(graph)),
    budget: memoryBudget(backend),
    backend,
  });
}
