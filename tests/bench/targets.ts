/**
 * The throughput goals of issue 6 (DESIGN.md §6), tracked rather than asserted: the bench runs
 * on shared, noisy machines, and a goal not yet met is news, not a broken build.
 */
import type { Metric } from './benchProtocol';

export interface Target {
  template: string;
  input: string;
  metric: Metric;
  /** Our speed ÷ PyTorch-CPU's that counts as met. */
  target: number;
  why: string;
}

export const TARGETS: readonly Target[] = [
  { template: 'tiny_resnet', input: '3x128x128', metric: 'train', target: 0.25, why: 'conv nets on wasm: ≥ 25 % of PyTorch-CPU training, batch 32' },
  { template: 'vit_tiny', input: '3x64x64', metric: 'train', target: 1.0, why: 'small ViTs on wasm: ≥ 100 % of PyTorch-CPU training, batch 32' },
];

export interface TargetStatus extends Target {
  backend: string | null;
  ratio: number | null;
  met: boolean | null;
  /** The ratio of the fastest steps, for a machine too busy for medians to mean much. */
  bestCaseRatio?: number;
  /** Why there is no ratio: the case was not run, or one side failed. */
  skipped?: string;
}

export interface RatioSource {
  template: string;
  input: string;
  backend: string;
  ratio: Partial<Record<Metric, number | null>> & { bestCase?: Partial<Record<Metric, number>> };
  skipped?: string;
}

/** Each target with the best backend's ratio among the results that measured it. */
export function targetStatus(results: RatioSource[]): TargetStatus[] {
  return TARGETS.map((t) => {
    const matching = results.filter((r) => r.template === t.template && r.input === t.input);
    const measured = matching.filter((r) => typeof r.ratio[t.metric] === 'number');
    if (measured.length === 0) {
      const reason = matching.find((r) => r.skipped)?.skipped ?? (matching.length > 0 ? 'no ratio (one side failed or the reference was skipped)' : 'not run (see --only/--input)');
      return { ...t, backend: null, ratio: null, met: null, skipped: reason };
    }
    const best = measured.reduce((a, b) => (b.ratio[t.metric]! > a.ratio[t.metric]! ? b : a));
    const ratio = best.ratio[t.metric]!;
    return { ...t, backend: best.backend, ratio, met: ratio >= t.target, bestCaseRatio: best.ratio.bestCase?.[t.metric] };
  });
}
