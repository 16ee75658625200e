import type { RunSummary } from '../../../main/core';

/** 0.7342 → "73.4 %"; null/undefined → "—". Metrics are fractions (DESIGN.md). */
export function formatPercent(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(1)} %`;
}

/** A loss or other plain metric with four significant digits: 0.123456 → "0.1235". */
export function formatMetric(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—';
  return Number(value.toPrecision(4)).toString();
}

/** "2026-03-01T10:00:00Z" → "1 Mar, 10:00" in the user's locale. */
export function formatWhen(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Runs newest first. */
export function sortRuns(runs: readonly RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The headline metric of a run for lists: top-1 accuracy when it has one. */
export function headlineMetric(run: RunSummary): { label: string; value: string } {
  const top1 = run.metrics['val/top1'];
  if (top1 !== undefined) return { label: 'val/top1', value: formatPercent(top1) };
  const loss = run.metrics['val/loss'] ?? run.metrics['train/loss'];
  return { label: 'loss', value: formatMetric(loss) };
}
