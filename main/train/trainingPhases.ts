import type * as TF from '@tensorflow/tfjs';
import type { GraphIR } from '../core';
import { planFineTune, type FineTunePhaseName } from './fineTunePlan';
import type { HyperParams } from './protocol';
import { TrainingInputError } from './trainingErrors';
import { nodeLrMultipliers, nodeResolver } from './variableNodes';

/**
 * A run as consecutive phases, each with its own optimiser: a plain run is one phase over all
 * its epochs; a fine-tune run is planFineTune's head / top / all phases. A phase fixes the base
 * learning rate its schedule starts from and every node's learning-rate multiplier (0 = frozen),
 * the run's own `lrMultipliers` multiplied in. The last phase runs to the run's last epoch, so
 * a resume that asks for more epochs extends it.
 */

export interface TrainingPhase {
  index: number;
  name: 'train' | FineTunePhaseName;
  firstEpoch: number;
  /** Exclusive. */
  endEpoch: number;
  learningRate: number;
  /** Multipliers of listed nodes; unlisted nodes (and variables of no node) get 1. */
  lrMultipliers: Record<string, number>;
}

function withRunMultipliers(phase: Record<string, number>, run: Record<string, number> | undefined): Record<string, number> {
  const out = { ...phase };
  for (const [node, m] of Object.entries(run ?? {})) out[node] = (out[node] ?? 1) * m;
  return out;
}

/**
 * The run's phases. `pretrainedNodes` (what weight loading matched) is the fine-tune plan's
 * backbone; without it the plan guesses the backbone from the graph.
 */
export function planTrainingPhases(graph: GraphIR, h: Pick<HyperParams, 'epochs' | 'learningRate' | 'lrMultipliers' | 'fineTune'>, pretrainedNodes: readonly string[] | null): TrainingPhase[] {
  const unknown = Object.keys(h.lrMultipliers ?? {}).filter((id) => !graph.nodes.some((n) => n.id === id));
  if (unknown.length > 0) throw new TrainingInputError(`Learning-rate multipliers name nodes graph "${graph.name}" does not have: ${unknown.join(', ')}`);
  if (!h.fineTune) return [{ index: 0, name: 'train', firstEpoch: 0, endEpoch: h.epochs, learningRate: h.learningRate, lrMultipliers: { ...h.lrMultipliers } }];

  const result = planFineTune(graph, { baseLr: h.learningRate, epochsPerPhase: h.fineTune.epochsPerPhase, ...(pretrainedNodes ? { pretrainedNodes: [...pretrainedNodes] } : {}) });
  if (!result.ok) throw new TrainingInputError(`Cannot plan the fine-tune phases: ${result.errors.map((e) => e.message).join('; ')}`);
  let firstEpoch = 0;
  const phases = result.plan.phases.map((p, index): TrainingPhase => {
    const phase = { index, name: p.name, firstEpoch, endEpoch: firstEpoch + p.epochs, learningRate: p.lr, lrMultipliers: withRunMultipliers(p.lrMultipliers, h.lrMultipliers) };
    firstEpoch = phase.endEpoch;
    return phase;
  });
  if (phases.length === 0) throw new TrainingInputError('The fine-tune plan has no phase with epochs and something to train');
  phases[phases.length - 1].endEpoch = Math.max(h.epochs, phases[phases.length - 1].endEpoch);
  return phases;
}

/** The phase an epoch belongs to (epochs past the plan belong to the last). */
export function phaseIndexAt(phases: readonly TrainingPhase[], epoch: number): number {
  const i = phases.findIndex((p) => epoch < p.endEpoch);
  return i < 0 ? phases.length - 1 : i;
}

/**
 * Sets which layers train in a phase: a layer trains when the compiler left it trainable (the
 * IR's own `frozen` flags) and its node's multiplier is above 0. Frozen layers' variables are
 * then left out of the optimiser, and frozen BatchNorm runs in inference mode (./frozenBatchNorm).
 */
export function applyPhaseToModel(model: TF.LayersModel, graph: GraphIR, phase: TrainingPhase, compiledTrainable: ReadonlyMap<TF.layers.Layer, boolean>): void {
  const nodeOf = nodeResolver(graph.nodes.map((n) => n.id));
  for (const layer of model.layers) {
    const node = nodeOf(layer.name);
    const multiplier = node === undefined ? 1 : (phase.lrMultipliers[node] ?? 1);
    layer.trainable = (compiledTrainable.get(layer) ?? true) && multiplier > 0;
  }
}

/** What each layer's `trainable` was before any phase touched it. */
export function compiledTrainability(model: TF.LayersModel): Map<TF.layers.Layer, boolean> {
  return new Map(model.layers.map((layer) => [layer, layer.trainable]));
}

/** The optimiser's per-variable multipliers in a phase. */
export function phaseMultipliers(graph: GraphIR, phase: TrainingPhase): (variable: TF.Variable) => number {
  return nodeLrMultipliers(phase.lrMultipliers, { nodeIds: graph.nodes.map((n) => n.id) });
}
