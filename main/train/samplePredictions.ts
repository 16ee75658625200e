import type * as TF from '@tensorflow/tfjs';
import type { SamplePrediction } from '../store/samplePredictions';
import { classificationBatches, type LabelledSplit } from './batches';
import { batchInput } from './trainStep';
import { outputList, type ObjectiveHead } from './trainingObjective';

/** How many validation images a run follows from epoch to epoch. */
export const SAMPLE_IMAGES = 16;
/** How many classes each one lists. */
export const SAMPLE_TOP_K = 3;

/**
 * The head's top classes for the first `count` images of the validation split: always the same
 * images, so one image's predictions can be followed across epochs. Inference mode (no dropout,
 * BatchNorm's running statistics left alone) and no random draws, so taking them changes nothing
 * an exact resume replays; every tensor is freed before it returns.
 */
export function predictSamples(
  tf: typeof TF,
  model: TF.LayersModel,
  head: Pick<ObjectiveHead, 'outputIndex'>,
  split: LabelledSplit,
  inputShape: readonly number[],
  count = SAMPLE_IMAGES,
): SamplePrediction[] {
  const n = Math.min(count, split.count);
  if (n === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i);
  const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
  const [batch] = classificationBatches(split, n, order, pixelsPerImage);
  const probabilities = tf.tidy(() => {
    const outputs = outputList(model.apply(batchInput(tf, batch, inputShape), { training: false }) as TF.Tensor | TF.Tensor[]);
    return tf.softmax(outputs[head.outputIndex].reshape([n, -1])).arraySync() as number[][];
  });
  return probabilities.map((row, i) => ({ index: order[i], label: batch.labels[i], top: topClasses(row, SAMPLE_TOP_K) }));
}

/** The k most probable classes, most probable first; ties go to the lower class index. */
export function topClasses(probabilities: readonly number[], k: number): SamplePrediction['top'] {
  return probabilities
    .map((probability, index) => ({ class: index, probability: Math.min(1, Math.max(0, probability)) }))
    .sort((a, b) => b.probability - a.probability || a.class - b.class)
    .slice(0, k);
}
