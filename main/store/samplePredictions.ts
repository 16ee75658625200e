import { z } from 'zod';
import type { Artefact, NewArtefact } from './artefacts';

/**
 * A run's sample predictions: after each epoch's validation, the classification head's top
 * classes for the same few validation images, so the UI can show how the predictions on one
 * image change as the run trains (issue 6/9). The trainer sends them on its protocol and keeps
 * them here; this file owns their one format.
 *
 * They are stored as one small JSON artefact per epoch (kind `sample_predictions`) rather than a
 * table of their own: they are read whole, per run, never queried by value, and a few KB each —
 * the artefact table's "small payloads inline" case, with no migration to ship.
 */

export const SAMPLE_PREDICTIONS_KIND = 'sample_predictions';

export const ClassProbabilitySchema = z.strictObject({
  /** Class index, as the dataset's labels number them. */
  class: z.number().int().min(0),
  /** Softmax probability of the head's logits. */
  probability: z.number().min(0).max(1),
});

export const SamplePredictionSchema = z.strictObject({
  /** Index of the image in the validation split. */
  index: z.number().int().min(0),
  label: z.number().int().min(0),
  /** The most probable classes, most probable first (three, or fewer for fewer classes). */
  top: z.array(ClassProbabilitySchema).min(1),
});
export type SamplePrediction = z.infer<typeof SamplePredictionSchema>;

export const SamplePredictionsSchema = z.strictObject({
  /** 0-based, as metric rows number epochs. */
  epoch: z.number().int().min(0),
  /** The step the epoch's validation came after (its metric rows' step). */
  step: z.number().int().min(0),
  /** The head node they are from. */
  head: z.string().min(1),
  predictions: z.array(SamplePredictionSchema),
});
export type SamplePredictions = z.infer<typeof SamplePredictionsSchema>;

/** The artefact that keeps one epoch's sample predictions. */
export function samplePredictionsArtefact(runId: string, samples: SamplePredictions): NewArtefact {
  const checked = SamplePredictionsSchema.parse(samples);
  return {
    runId,
    kind: SAMPLE_PREDICTIONS_KIND,
    name: `epoch-${String(checked.epoch).padStart(4, '0')}`,
    blob: new TextEncoder().encode(JSON.stringify(checked)),
    meta: { epoch: checked.epoch, step: checked.step, head: checked.head, images: checked.predictions.length },
  };
}

/**
 * One entry per epoch, oldest first. A run that crashed after storing an epoch's predictions but
 * before its checkpoint replays that epoch on resume and stores them again: the later one wins,
 * being the one the run's history continues from. Unreadable artefacts are skipped, not fatal.
 */
export function samplePredictionsOf(artefacts: readonly Artefact[]): SamplePredictions[] {
  const byEpoch = new Map<number, SamplePredictions>();
  for (const a of artefacts) {
    if (a.kind !== SAMPLE_PREDICTIONS_KIND || !a.blob) continue;
    let parsed;
    try {
      parsed = SamplePredictionsSchema.safeParse(JSON.parse(a.blob.toString('utf8')));
    } catch {
      continue;
    }
    if (parsed.success) byEpoch.set(parsed.data.epoch, parsed.data);
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
