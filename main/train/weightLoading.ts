import type * as TF from '@tensorflow/tfjs';
import { nodeResolver, withoutUniqueSuffix } from './variableNodes';

/**
 * Loading pretrained weights into a model by name and shape, the way PyTorch's
 * `load_state_dict(strict=False)` is used for transfer learning: what matches by name and shape
 * is copied, and everything else is reported — a new head's weights (missing), a head with
 * another class count (mismatched), the old head's weights nothing took (unused) — so the user
 * sees exactly what was transferred before training starts.
 */

export interface WeightSpec {
  name: string;
  shape: readonly number[];
}

export interface MatchWeightsOptions {
  /** Second pass: names equal once TF.js's `_<n>` uniqueness suffix is stripped (`conv/kernel_1` ↔ `conv/kernel`). Default true. */
  stripUniqueSuffix?: boolean;
  /** Targets to leave as they are (a head to re-initialise, say); they are reported as excluded. */
  exclude?: (targetName: string) => boolean;
}

export interface WeightMatchReport {
  matched: { target: string; source: string }[];
  /** Targets no source has a name for: they keep their initial values. */
  missing: string[];
  /** Same name, different shape: not copied. */
  mismatched: { name: string; source: string; targetShape: number[]; sourceShape: number[] }[];
  /** Sources no target took. */
  unused: string[];
  excluded: string[];
  /** Targets whose stripped name fits several sources (or that share a stripped name with another target): not copied. */
  ambiguous: { target: string; candidates: string[] }[];
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Pure: pairs target and source weights by exact name, then by name without the uniqueness suffix. */
export function matchWeights(targets: readonly WeightSpec[], sources: readonly WeightSpec[], options: MatchWeightsOptions = {}): WeightMatchReport {
  const report: WeightMatchReport = { matched: [], missing: [], mismatched: [], unused: [], excluded: [], ambiguous: [] };
  const sourceByName = new Map(sources.map((s) => [s.name, s]));
  const claimed = new Set<string>();
  const pair = (target: WeightSpec, source: WeightSpec) => {
    claimed.add(source.name);
    if (sameShape(target.shape, source.shape)) report.matched.push({ target: target.name, source: source.name });
    else report.mismatched.push({ name: target.name, source: source.name, targetShape: [...target.shape], sourceShape: [...source.shape] });
  };

  const pending: WeightSpec[] = [];
  for (const target of targets) {
    if (options.exclude?.(target.name)) report.excluded.push(target.name);
    else if (sourceByName.has(target.name)) pair(target, sourceByName.get(target.name)!);
    else pending.push(target);
  }

  if (options.stripUniqueSuffix ?? true) {
    const byStripped = <T extends WeightSpec>(list: readonly T[]) => {
      const map = new Map<string, T[]>();
      for (const w of list) map.set(withoutUniqueSuffix(w.name), [...(map.get(withoutUniqueSuffix(w.name)) ?? []), w]);
      return map;
    };
    const freeSources = byStripped(sources.filter((s) => !claimed.has(s.name)));
    const pendingTargets = byStripped(pending);
    const unmatched: WeightSpec[] = [];
    for (const target of pending) {
      const key = withoutUniqueSuffix(target.name);
      const candidates = freeSources.get(key) ?? [];
      if (candidates.length === 0) unmatched.push(target);
      else if (candidates.length > 1 || pendingTargets.get(key)!.length > 1) report.ambiguous.push({ target: target.name, candidates: candidates.map((c) => c.name) });
      else pair(target, candidates[0]);
    }
    report.missing = unmatched.map((t) => t.name);
  } else {
    report.missing = pending.map((t) => t.name);
  }
  report.unused = sources.filter((s) => !claimed.has(s.name)).map((s) => s.name);
  return report;
}

export type WeightSource = ReadonlyMap<string, TF.Tensor> | TF.NamedTensorMap;

/**
 * Copies the matching source tensors into the model's weights — all of them, BatchNorm's running
 * statistics included — and returns the report. Targets are named by their original names
 * (`conv/kernel`, as checkpoints name them), so the second model built in a process still matches.
 */
export function loadWeightsByName(tf: typeof TF, model: TF.LayersModel, source: WeightSource, options: MatchWeightsOptions = {}): WeightMatchReport {
  const tensors: ReadonlyMap<string, TF.Tensor> = source instanceof Map ? source : new Map(Object.entries(source));
  const report = matchWeights(
    model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[] })),
    [...tensors].map(([name, t]) => ({ name, shape: t.shape })),
    options,
  );
  const byName = new Map(model.weights.map((w) => [w.originalName, w]));
  tf.tidy(() => {
    for (const { target, source: from } of report.matched) {
      const weight = byName.get(target)!;
      const value = tensors.get(from)!;
      weight.write(value.dtype === weight.dtype ? value : tf.cast(value, weight.dtype));
    }
  });
  return report;
}

/**
 * The nodes a load made pretrained: those with at least one weight copied and none missing,
 * mismatched or ambiguous. What `planFineTune` takes as `pretrainedNodes`.
 */
export function pretrainedNodes(report: WeightMatchReport, nodeIds: Iterable<string>): string[] {
  const nodeOf = nodeResolver(nodeIds);
  const loaded = new Set(report.matched.map((m) => nodeOf(m.target)));
  const incomplete = new Set([...report.missing, ...report.mismatched.map((m) => m.name), ...report.ambiguous.map((a) => a.target), ...report.excluded].map(nodeOf));
  return [...loaded].filter((id): id is string => id !== undefined && !incomplete.has(id));
}
