import type * as TF from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compile/compileGraph';
import type { GraphIR } from '../core';
import { classificationBatches, shuffledOrder, type LabelledSplit } from './batches';
import { runFrozenBatchNormInInferenceMode } from './frozenBatchNorm';
import { rangeTestLearningRate, recordRangeTestLoss, startRangeTest, suggestLearningRate, type LrRangeTestOptions, type RangeTestPoint, type RangeTestSuggestion } from './lrFinder';
import { createOptimizer, type TrainingOptimizer } from './optimizers';
import type { HyperParams } from './protocol';
import { createTrainingObjective, type TrainingObjective } from './trainingObjective';
import { applyPhaseToModel, compiledTrainability, phaseMultipliers, planTrainingPhases } from './trainingPhases';
import { epochRandom, TrainingRandom } from './trainingRandom';
import { trainingStep } from './trainStep';

/**
 * The learning-rate range test on the trainer's own machinery: the same model, data order,
 * objective, optimiser, parameter groups and frozen layers a run with these settings would
 * train with (a fine-tune run's first phase), stepping the rate up exponentially until the loss
 * blows up or the steps run out. The model's weights are spent: nothing is stored.
 */

export interface RangeTestRunOptions {
  tf: typeof TF;
  compiled: CompiledGraph;
  graph: GraphIR;
  data: { train: LabelledSplit };
  hyperParams: HyperParams;
  rangeTest: LrRangeTestOptions;
  pretrainedNodes?: readonly string[];
  onPoint?(point: RangeTestPoint, step: number): void;
  isCancelled?(): boolean;
}

export interface RangeTestRunResult {
  points: RangeTestPoint[];
  reason: 'completed' | 'diverged' | 'non_finite' | 'cancelled';
  suggestion: RangeTestSuggestion | null;
}

export async function runRangeTest(options: RangeTestRunOptions): Promise<RangeTestRunResult> {
  const { tf, compiled, graph, data, hyperParams: h, rangeTest } = options;
  const model = compiled.model;
  let objective: TrainingObjective | undefined;
  let optimizer: TrainingOptimizer | undefined;
  try {
    objective = createTrainingObjective(tf, compiled, graph, h);
    const [phase] = planTrainingPhases(graph, h, options.pretrainedNodes ?? null);
    const trainable = compiledTrainability(model);
    runFrozenBatchNormInInferenceMode(model);
    applyPhaseToModel(model, graph, phase, trainable);
    optimizer = createOptimizer(tf, h, { lrMultipliers: phaseMultipliers(graph, phase) });
    const inputShape = model.inputs[0].shape.slice(1) as number[];
    const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
    let state = startRangeTest();
    // Epoch after epoch until the test stops: the same samples, in the same order, as training.
    for (let epoch = 0; !state.stopped; epoch++) {
      const random = new TrainingRandom(epochRandom(h.seed, epoch).state);
      for (const batch of classificationBatches(data.train, h.batchSize, shuffledOrder(data.train.count, h.seed, epoch), pixelsPerImage)) {
        if (options.isCancelled?.()) return { points: state.points, reason: 'cancelled', suggestion: suggestLearningRate(rangeTest, state.points) };
        const step = state.points.length;
        optimizer.setLearningRate(rangeTestLearningRate(rangeTest, step));
        const { loss } = random.run(() => trainingStep(tf, model, objective!, optimizer!, batch, inputShape));
        state = recordRangeTestLoss(rangeTest, state, loss);
        if (state.points.length > step) options.onPoint?.(state.points[step], step);
        if (state.stopped) break;
        await new Promise((resolve) => setImmediate(resolve)); // let a cancel arrive
      }
    }
    return { points: state.points, reason: state.reason ?? 'completed', suggestion: suggestLearningRate(rangeTest, state.points) };
  } finally {
    optimizer?.dispose();
    objective?.dispose();
  }
}
