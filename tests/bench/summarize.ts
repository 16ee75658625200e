/**
 * From interleaved samples to the figures the bench prints: medians, images per second, and
 * our speed as a fraction of PyTorch's. A ratio is taken per round (both engines measured
 * minutes apart at most, under the same load) and the median of those is reported, so a busy
 * spell that hit one round does not decide the result. On a busy machine the fastest steps are
 * reported too: contention only ever adds time, so they are the closest to an idle machine.
 */
import { METRICS, type Metric } from './benchProtocol';
import type { EngineSamples } from './interleave';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export type MetricFigures =
  | {
      /** Images per second at the median step time (batch B; 1 for latency). */
      imagesPerSecond: number;
      /** Median over every timed step of every round. */
      medianMs: number;
      /** The fastest timed step: the least disturbed by other work on the machine. */
      minMs: number;
      roundMedianMs: number[];
    }
  | { error: string };

export type EngineFigures = Record<Metric, MetricFigures>;

export function figures(s: EngineSamples, batch: number): EngineFigures {
  const one = (metric: Metric): MetricFigures => {
    const error = s.errors[metric];
    const all = s.rounds[metric].flat();
    if (error && all.length === 0) return { error };
    if (all.length === 0) return { error: 'not measured' };
    const ms = median(all);
    const images = metric === 'latency' ? 1 : batch;
    return {
      imagesPerSecond: round((images * 1000) / ms, 2),
      medianMs: round(ms, 2),
      minMs: round(Math.min(...all), 2),
      roundMedianMs: s.rounds[metric].map((r) => round(median(r), 2)),
    };
  };
  return { train: one('train'), infer: one('infer'), latency: one('latency') };
}

export interface Ratio {
  /** Our speed ÷ PyTorch's (for latency: PyTorch's ms ÷ ours): 1 means as fast, 0.25 a quarter as fast. */
  ratio: number;
  roundRatios: number[];
  /** The same from each side's fastest step over all rounds. */
  bestCase: number;
}

/** Our speed as a fraction of PyTorch's per metric, null where either side has no figure. */
export function ratios(ours: EngineSamples, reference: EngineSamples): Record<Metric, Ratio | null> {
  const one = (metric: Metric): Ratio | null => {
    const a = ours.rounds[metric];
    const b = reference.rounds[metric];
    const n = Math.min(a.length, b.length);
    if (n === 0) return null;
    const perRound = Array.from({ length: n }, (_, i) => median(b[i]) / median(a[i]));
    const fastest = (rounds: number[][]) => Math.min(...rounds.slice(0, n).flat());
    return { ratio: round(median(perRound), 4), roundRatios: perRound.map((r) => round(r, 4)), bestCase: round(fastest(b) / fastest(a), 4) };
  };
  return Object.fromEntries(METRICS.map((m) => [m, one(m)])) as Record<Metric, Ratio | null>;
}
