import type { SamplePredictions } from '../store/samplePredictions';

/**
 * `runs show`'s compact view of an epoch's sample predictions: one row per image with its label,
 * the top-1 class, its probability and whether it is right — enough to see at a glance which of
 * the followed images the model gets wrong; the full top-3 is in `--json`.
 */
export function samplePredictionsRows(samples: SamplePredictions): string[][] {
  return [
    ['IMAGE', 'LABEL', 'TOP-1', 'P', ''],
    ...samples.predictions.map((p) => {
      const top = p.top[0];
      return [String(p.index), String(p.label), String(top.class), top.probability.toFixed(3), top.class === p.label ? '✓' : '✗'];
    }),
  ];
}

export function samplePredictionsHeading(samples: SamplePredictions): string {
  const right = samples.predictions.filter((p) => p.top[0].class === p.label).length;
  return `Sample predictions after epoch ${samples.epoch + 1} (head ${samples.head}): ${right} of ${samples.predictions.length} right`;
}
