import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentStore } from '../store/openStore';
import type { LoadWeights } from './protocol';

/**
 * `--load-weights` as the user writes it — a run id (its best checkpoint, else its latest),
 * `RUN:best` or `RUN:last`, or the path of a TF.js layers model.json — resolved against the
 * store into what a trainer job carries: a file it can read without the store.
 */
export class WeightSourceError extends Error {
  readonly code = 'invalid_weight_source';
}

const RUN_REFERENCE = /^([^:/\\]+?)(?::(best|last))?$/;

export function resolveWeightSource(store: ExperimentStore, text: string): LoadWeights {
  const looksLikePath = text.endsWith('.json') || text.includes('/') || text.includes(path.sep);
  if (looksLikePath) {
    const file = path.resolve(text);
    if (!fs.existsSync(file)) throw new WeightSourceError(`--load-weights: no file ${file}`);
    return { kind: 'layers-model', path: file };
  }
  const match = RUN_REFERENCE.exec(text);
  const runId = match?.[1] ?? text;
  const run = store.getRun(runId);
  if (!match || !run) throw new WeightSourceError(`--load-weights: "${text}" is neither a run of this store (RUN, RUN:best or RUN:last) nor a model.json path`);
  const checkpoints = store.listCheckpoints(runId);
  const which = (match[2] as 'best' | 'last' | undefined) ?? (checkpoints.some((c) => c.isBest) ? 'best' : 'last');
  const checkpoint = which === 'best' ? checkpoints.find((c) => c.isBest) : checkpoints.at(-1);
  if (!checkpoint) throw new WeightSourceError(`--load-weights: run ${runId} has no ${which === 'best' ? 'best ' : ''}checkpoint (it is ${run.status}, with ${checkpoints.length} checkpoint(s))`);
  return { kind: 'checkpoint', runId, checkpointId: checkpoint.id, which, epoch: checkpoint.epoch, path: store.dataPath(checkpoint.path), sha256: checkpoint.sha256 };
}
