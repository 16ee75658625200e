import type * as TF from '@tensorflow/tfjs';
import type { ClassificationBatch } from './batches';
import type { TrainingOptimizer } from './optimizers';
import { outputList, type TrainingObjective } from './trainingObjective';

/** What one optimisation step reports. */
export interface StepResult {
  /** The minimised total. */
  loss: number;
  /** Each head's own (training) loss. */
  headLosses: Record<string, number>;
  /** Samples the primary head got right (top-1). */
  correct: number;
}

/** A batch's pixels as the model's NHWC input tensor. */
export function batchInput(tf: typeof TF, batch: ClassificationBatch, inputShape: readonly number[]): TF.Tensor4D {
  return tf.tensor4d(batch.x, [batch.count, ...inputShape] as [number, number, number, number]);
}

/**
 * One training step: forward in training mode, the objective's loss, gradients and the update.
 * Shared by the training loop and the learning-rate range test, so both train the same way.
 * Synchronous, so a seeded Math.random (./trainingRandom) can wrap it whole.
 */
export function trainingStep(
  tf: typeof TF,
  model: TF.LayersModel,
  objective: TrainingObjective,
  optimizer: TrainingOptimizer,
  batch: ClassificationBatch,
  inputShape: readonly number[],
): StepResult {
  return tf.tidy(() => {
    const x = batchInput(tf, batch, inputShape);
    const y = tf.tensor1d(batch.labels, 'int32');
    let outputs: TF.Tensor[] = [];
    let perHead: Record<string, TF.Scalar> = {};
    const lossTensor = optimizer.step(() => {
      // Kept past the gradient scope to count hits and read each head's loss without a second pass.
      outputs = outputList(model.apply(x, { training: true }) as TF.Tensor | TF.Tensor[]).map((t) => tf.keep(t));
      const losses = objective.trainingLoss(outputs, y);
      perHead = Object.fromEntries(Object.entries(losses.perHead).map(([node, l]) => [node, tf.keep(l)]));
      return losses.total;
    });
    const correct = objective.correct(outputs, y, 1);
    const headLosses = Object.fromEntries(Object.entries(perHead).map(([node, l]) => [node, l.dataSync()[0]]));
    const loss = lossTensor.dataSync()[0];
    // step() keeps its result out of every scope, and so are the kept tensors: dispose them here or leak them every step.
    for (const t of [lossTensor, ...outputs, ...Object.values(perHead)]) if (!t.isDisposed) t.dispose();
    return { loss, headLosses, correct };
  });
}
