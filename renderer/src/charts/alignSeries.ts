import type { MetricSeries } from '../../../main/core';

/**
 * uPlot wants one shared x array and one y array per series, with null where a series has no
 * point. Training loss comes every step, validation loss once per epoch: both are placed on
 * the step axis, and gaps are bridged when drawing.
 */
export function alignSeries(series: readonly MetricSeries[]): { x: number[]; ys: (number | null)[][] } {
  const steps = new Set<number>();
  for (const s of series) for (const p of s.points) steps.add(p.step);
  const x = [...steps].sort((a, b) => a - b);
  const index = new Map(x.map((step, i) => [step, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array(x.length).fill(null);
    for (const p of s.points) y[index.get(p.step)!] = Number.isFinite(p.value) ? p.value : null;
    return y;
  });
  return { x, ys };
}
