import { z } from 'zod';

/**
 * The metric that decides which checkpoint is a run's "best": a DESIGN.md §3 name
 * (`val/top1`, `val/loss`, `val/mIoU`…) and whether higher or lower is better.
 */
export const CheckpointMetricSchema = z.strictObject({
  name: z.string().regex(/^(train|val)\/\S+$/, 'a metric name such as val/top1 or val/loss'),
  mode: z.enum(['min', 'max']),
});
export type CheckpointMetric = z.infer<typeof CheckpointMetricSchema>;

export const DEFAULT_CHECKPOINT_METRIC: CheckpointMetric = { name: 'val/top1', mode: 'max' };

/** Losses and errors fall as a model improves; every other metric we log (accuracy, mAP, IoU, recall) rises. */
export function defaultMode(name: string): 'min' | 'max' {
  return /(^|\/)(loss|error)(\/|$)/.test(name) ? 'min' : 'max';
}

/** Parses `METRIC[:min|max]`; the mode defaults by the metric's name. Returns the problem as text when invalid. */
export function parseCheckpointMetric(text: string): CheckpointMetric | { error: string } {
  const [name, mode, ...rest] = text.split(':');
  const parsed = CheckpointMetricSchema.safeParse({ name, mode: mode ?? defaultMode(name) });
  if (rest.length > 0 || !parsed.success) {
    return { error: `--checkpoint-metric must look like val/top1 or val/loss:min (METRIC[:min|max]); got "${text}"` };
  }
  return parsed.data;
}

/** Whether `value` beats `best` (no best yet: any finite value does). */
export function improves(metric: CheckpointMetric, value: number, best: number | null): boolean {
  if (!Number.isFinite(value)) return false;
  if (best === null) return true;
  return metric.mode === 'max' ? value > best : value < best;
}
