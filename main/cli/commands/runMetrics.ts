import type { MetricSeries } from '../../core';

/** Whether a lower value is better: losses and errors; everything else (top1, mAP, IoU…) is higher-better. */
export function lowerIsBetter(name: string): boolean {
  return /loss|error|(^|\/)lr$/.test(name);
}

export interface MetricSummary {
  name: string;
  last: number;
  best: number;
  /** Step at which `best` was reached. */
  bestStep: number;
}

/** Last and best value of every series (series without points are left out). */
export function summarizeMetrics(series: MetricSeries[]): MetricSummary[] {
  return series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const better = lowerIsBetter(s.name) ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
      const best = s.points.reduce((acc, p) => (better(p.value, acc.value) ? p : acc), s.points[0]);
      return { name: s.name, last: s.points.at(-1)!.value, best: best.value, bestStep: best.step };
    });
}
