import type * as TF from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compile/compileGraph';
import type { GraphIR } from '../core';
import { createLossCombiner, topKCorrect, type LossCombiner } from './losses';
import type { HyperParams } from './protocol';
import { epochMetricNames, trainedHeads, type TrainedHead } from './trainedHeads';
import { TrainingInputError } from './trainingErrors';

/**
 * What the loop minimises: each trained head's loss from the registry, on its own output of the
 * model, added up. One head with fixed weighting is its loss alone (a single loss's weight only
 * rescales the learning rate); several heads, or uncertainty weighting, go through the loss
 * combiner, whose learned log-variances are trainable variables the optimiser updates with the
 * model's weights.
 */

export interface ObjectiveHead extends TrainedHead {
  /** Index of the head's tensor among the model's outputs. */
  outputIndex: number;
  /** The label smoothing its training loss uses. */
  smoothing: number;
}

export interface HeadLosses {
  total: TF.Scalar;
  perHead: Record<string, TF.Scalar>;
}

export interface TrainingObjective {
  heads: readonly ObjectiveHead[];
  /** The head whose top-1/top-5 the run reports. */
  primary: ObjectiveHead;
  /** Null for a single head with fixed weighting. */
  combiner: LossCombiner | null;
  epochMetricNames: readonly string[];
  /** The training loss (label smoothing included); call it inside the optimiser's loss function. */
  trainingLoss(outputs: readonly TF.Tensor[], labels: TF.Tensor1D): HeadLosses;
  /**
   * Validation losses: plain cross-entropy (no smoothing, so runs with different smoothing
   * compare), summed with the heads' fixed weights whatever the training weighting: a
   * yardstick that does not move as uncertainty weights are learned.
   */
  validationLoss(outputs: readonly TF.Tensor[], labels: TF.Tensor1D): HeadLosses;
  /** Samples whose label is among the primary head's k highest logits. */
  correct(outputs: readonly TF.Tensor[], labels: TF.Tensor1D, k: number): number;
  dispose(): void;
}

/** The model's outputs as a list, whatever `apply` returned. */
export function outputList(result: TF.Tensor | TF.Tensor[]): TF.Tensor[] {
  return Array.isArray(result) ? result : [result];
}

export function createTrainingObjective(tf: typeof TF, compiled: CompiledGraph, graph: GraphIR, h: Pick<HyperParams, 'labelSmoothing' | 'lossWeighting'>): TrainingObjective {
  const outputNames = compiled.model.outputNames;
  const heads: ObjectiveHead[] = trainedHeads(graph).map((head) => {
    const outputIndex = outputNames.indexOf(head.node);
    if (outputIndex < 0) throw new TrainingInputError(`Head "${head.node}" is not one of the model's outputs (${outputNames.join(', ')})`);
    return { ...head, outputIndex, smoothing: h.labelSmoothing ?? head.labelSmoothing };
  });
  const weighting = h.lossWeighting ?? 'fixed';
  const combiner = heads.length > 1 || weighting === 'uncertainty' ? createLossCombiner(tf, heads, weighting) : null;
  const fixedWeights = new Map(heads.map((x) => [x.node, x.lossWeight]));

  const losses = (outputs: readonly TF.Tensor[], labels: TF.Tensor1D, smoothed: boolean): Record<string, TF.Scalar> =>
    Object.fromEntries(heads.map((x) => [x.node, x.loss.compute(tf, outputs[x.outputIndex], labels, { labelSmoothing: smoothed ? x.smoothing : 0 })]));

  return {
    heads,
    primary: heads[0],
    combiner,
    epochMetricNames: epochMetricNames(heads),
    trainingLoss(outputs, labels) {
      const perHead = losses(outputs, labels, true);
      return { total: combiner ? combiner.combine(perHead) : perHead[heads[0].node], perHead };
    },
    validationLoss(outputs, labels) {
      const perHead = losses(outputs, labels, false);
      const total = heads.length === 1 ? perHead[heads[0].node] : (tf.addN(heads.map((x) => perHead[x.node].mul(fixedWeights.get(x.node)!))) as TF.Scalar);
      return { total, perHead };
    },
    correct: (outputs, labels, k) => topKCorrect(tf, outputs[heads[0].outputIndex] as TF.Tensor2D, labels, k),
    dispose: () => combiner?.dispose(),
  };
}
