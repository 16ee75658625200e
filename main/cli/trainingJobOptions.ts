import { inferGraph, type GraphIR } from '../core';
import type { ExperimentStore } from '../store/openStore';
import { readGraphArgument } from '../templates/templateLibrary';
import { BackendNameSchema, type DataSpec, type LoadWeights, type TrainJob } from '../train/protocol';
import { resolveWeightSource, WeightSourceError } from '../train/weightSourceArgument';
import { withFreezeOverrides, withOverrides, type FreezeOptions, type GraphOverrideOptions } from './graphOptions';
import { InvalidInputError } from './output';
import type { StoreOptions } from './storeOption';
import type { TrainingFlags } from './trainSettings';

/**
 * The flags `train` and `lr-find` share — the graph and its overrides, the data, the backend,
 * the optimiser's settings and initial weights — and how each becomes part of a trainer job,
 * so that a range test probes exactly the model and data a run with the same flags trains.
 */
export interface TrainingJobOptions extends StoreOptions, GraphOverrideOptions, FreezeOptions, TrainingFlags {
  synthetic?: boolean;
  trainSize: number;
  valSize: number;
  overfit?: number;
  backend?: string;
  threads?: number;
  /** A run id (`RUN`, `RUN:best`, `RUN:last`) or a TF.js model.json path. */
  loadWeights?: string;
  json?: boolean;
}

export function parseBackend(text: string | undefined): TrainJob['backend'] {
  if (text === undefined) return undefined;
  const parsed = BackendNameSchema.safeParse(text);
  if (!parsed.success) throw new InvalidInputError(`--backend must be one of ${BackendNameSchema.options.join(', ')}; got "${text}"`);
  return parsed.data;
}

/** The graph file or template, with --input/--classes and --freeze/--unfreeze applied, checked. */
export function readTrainingGraph(target: string, options: TrainingJobOptions): GraphIR {
  const source = readGraphArgument(target);
  if (!source.ok) throw new InvalidInputError(source.errors.map((e) => e.message).join('\n'), source.errors);
  const graph = withFreezeOverrides(withOverrides(source.graph, options), options);
  const report = inferGraph(graph);
  if (!report.ok) throw new InvalidInputError(`${source.source} is invalid:\n${report.errors.map((e) => `  ${e.message}`).join('\n')}`, report.errors);
  if (!options.synthetic) throw new InvalidInputError('Say where the data comes from: --synthetic (the built-in 10-class shapes set)');
  return graph;
}

export function syntheticData(options: TrainingJobOptions, seed: number): DataSpec {
  return { kind: 'synthetic', trainCount: options.trainSize, valCount: options.valSize, seed, ...(options.overfit === undefined ? {} : { overfit: options.overfit }) };
}

/** `--load-weights`, resolved against the store (a refusal is the user's to fix: exit 1). */
export function weightSource(store: ExperimentStore, text: string | undefined): LoadWeights | undefined {
  if (text === undefined) return undefined;
  try {
    return resolveWeightSource(store, text);
  } catch (error) {
    if (error instanceof WeightSourceError) throw new InvalidInputError(error.message);
    throw error;
  }
}
