import type { Progress } from '../train/protocol';

/**
 * The text of `visionbench train`'s terminal output, as pure functions of what the trainer
 * reports, so the layout is tested without a terminal.
 */

/** `42s`, `3m05s`, `1h02m`; `-` while unknown (no step timed yet). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Learning rates span decades: `1.00e-3`. */
export function formatLearningRate(lr: number): string {
  return lr.toExponential(2).replace('e+', 'e');
}

const BAR_WIDTH = 20;

function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * done) / total)) : 0;
  return `[${'\u2588'.repeat(filled)}${'\u2591'.repeat(BAR_WIDTH - filled)}]`;
}

/**
 * One line: the fine-tune phase if any, epoch, a bar over the epoch's steps, step/steps, loss, lr, throughput, ETA of the
 * whole run. Narrow terminals lose the bar first, then the line is cut to `width`.
 */
export function progressLine(p: Progress, width = 120): string {
  const stats = [
    `${p.stepInEpoch}/${p.stepsPerEpoch}`,
    `loss ${p.loss.toFixed(4)}`,
    `lr ${formatLearningRate(p.learningRate)}`,
    `${p.imagesPerSecond.toFixed(1)} img/s`,
    `ETA ${formatDuration(p.etaSeconds)}`,
  ].join(' | ');
  const phase = p.phase ? `${p.phase.name} ${p.phase.index + 1}/${p.phase.count} · ` : '';
  const head = `${phase}epoch ${p.epoch + 1}/${p.epochs}`;
  const full = `${head} ${bar(p.stepInEpoch, p.stepsPerEpoch)} ${stats}`;
  const line = full.length <= width ? full : `${head} ${stats}`;
  return line.length <= width ? line : line.slice(0, Math.max(0, width - 1)) + '\u2026';
}

/** The summary of one epoch: its metrics in DESIGN.md names, values as fractions. */
export function epochLine(epoch: number, epochs: number, metrics: Record<string, number>): string {
  const values = Object.entries(metrics).map(([name, value]) => `${name} ${value.toFixed(4)}`);
  return `epoch ${epoch + 1}/${epochs}: ${values.join(', ')}`;
}
