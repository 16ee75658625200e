import type * as TF from '@tensorflow/tfjs';
import { classificationBatches, type LabelledSplit } from './batches';
import { batchInput } from './trainStep';
import { outputList, type TrainingObjective } from './trainingObjective';

export interface ValidationResult {
  /** The objective's validation total (fixed weights, no label smoothing), averaged over samples. */
  loss: number;
  headLosses: Record<string, number>;
  /** Fractions of samples, by the primary head. */
  top1: number;
  top5: number;
}

/** One pass over the validation split in inference mode, in a fixed order. */
export function validate(tf: typeof TF, model: TF.LayersModel, objective: TrainingObjective, split: LabelledSplit, batchSize: number, inputShape: readonly number[]): ValidationResult {
  const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: split.count }, (_, i) => i);
  let loss = 0;
  let top1 = 0;
  let top5 = 0;
  const headLosses: Record<string, number> = Object.fromEntries(objective.heads.map((h) => [h.node, 0]));
  for (const batch of classificationBatches(split, batchSize, order, pixelsPerImage)) {
    tf.tidy(() => {
      const y = tf.tensor1d(batch.labels, 'int32');
      const outputs = outputList(model.apply(batchInput(tf, batch, inputShape), { training: false }) as TF.Tensor | TF.Tensor[]);
      const losses = objective.validationLoss(outputs, y);
      loss += losses.total.dataSync()[0] * batch.count;
      for (const [node, l] of Object.entries(losses.perHead)) headLosses[node] += l.dataSync()[0] * batch.count;
      top1 += objective.correct(outputs, y, 1);
      top5 += objective.correct(outputs, y, 5);
    });
  }
  const n = split.count;
  return { loss: loss / n, headLosses: Object.fromEntries(Object.entries(headLosses).map(([node, l]) => [node, l / n])), top1: top1 / n, top5: top5 / n };
}
