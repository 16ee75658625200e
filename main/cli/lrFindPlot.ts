import type { RangeTestPoint } from '../train/lrFinder';
import type { LrFindResult } from '../train/protocol';
import { formatLearningRate } from './trainProgress';

/**
 * `visionbench lr-find`'s text output, as pure functions: the smoothed loss against the
 * learning rate (log scale) as a character plot, the suggestions marked under it.
 */

export interface PlotSize {
  width: number;
  height: number;
}

const LABEL_WIDTH = 9;

/**
 * The curve on a width × height grid: x is log10(lr) over the points' range, y the smoothed loss
 * from its minimum to the first point's (or the lowest value above it, whichever is higher), so
 * the blow-up at the end is cut off the top (drawn as `^`) instead of flattening the rest. Under
 * the axis, `S` marks the steepest-descent suggestion and `M` the minimum/10 one.
 */
export function rangeTestPlot(points: readonly RangeTestPoint[], suggestion: LrFindResult['suggestion'], size: PlotSize = { width: 60, height: 12 }): string {
  if (points.length === 0) return '(no points: the range test took no step)';
  const { width, height } = size;
  const logs = points.map((p) => Math.log10(p.learningRate));
  const [xMin, xMax] = [Math.min(...logs), Math.max(...logs)];
  const losses = points.map((p) => p.smoothedLoss);
  const yMin = Math.min(...losses);
  const yMax = Math.max(points[0].smoothedLoss, yMin + 1e-9);
  const column = (lr: number) => Math.round(((Math.log10(lr) - xMin) / Math.max(xMax - xMin, 1e-12)) * (width - 1));
  const row = (loss: number) => Math.round(((yMax - loss) / (yMax - yMin)) * (height - 1));
  const grid = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  points.forEach((p) => {
    const r = row(p.smoothedLoss);
    grid[Math.max(0, Math.min(height - 1, r))][column(p.learningRate)] = r < 0 ? '^' : '*';
  });
  const label = (loss: number) => loss.toPrecision(4).padStart(LABEL_WIDTH - 1);
  const lines = grid.map((cells, r) => `${r === 0 ? label(yMax) : r === height - 1 ? label(yMin) : ' '.repeat(LABEL_WIDTH - 1)} |${cells.join('')}`);
  lines.push(`${' '.repeat(LABEL_WIDTH)}+${'-'.repeat(width)}`);
  const left = formatLearningRate(points[0].learningRate);
  const right = formatLearningRate(points[points.length - 1].learningRate);
  lines.push(`${' '.repeat(LABEL_WIDTH + 1)}${left}${right.padStart(Math.max(width - left.length, right.length + 1))}  (learning rate, log scale)`);
  if (suggestion) {
    const marks = Array<string>(width).fill(' ');
    const clamp = (c: number) => Math.max(0, Math.min(width - 1, c));
    marks[clamp(column(suggestion.minimumOverTen))] = 'M';
    marks[clamp(column(suggestion.steepest))] = 'S';
    lines.push(`${' '.repeat(LABEL_WIDTH + 1)}${marks.join('').trimEnd()}`);
  }
  return lines.join('\n');
}

const REASONS: Record<LrFindResult['reason'], string> = {
  completed: 'all steps taken',
  diverged: 'stopped when the loss passed 4× its best',
  non_finite: 'stopped at a non-finite loss',
  cancelled: 'cancelled',
};

/** The closing lines: how it ended and the two suggestions. */
export function rangeTestSummary(result: LrFindResult): string {
  const head = `Range test: ${result.points.length} step(s) on ${result.backend}, ${REASONS[result.reason]}, ${result.seconds.toFixed(0)} s`;
  if (!result.suggestion) return `${head}\nNo suggestion: fewer than two points were recorded.`;
  return [
    head,
    `Suggested learning rate: ${formatLearningRate(result.suggestion.steepest)} (S: steepest descent of the loss)`,
    `                         ${formatLearningRate(result.suggestion.minimumOverTen)} (M: the minimum's rate / 10)`,
  ].join('\n');
}

/** For a pipe: one line per point, tab-separated, with a header. */
export function rangeTestTable(points: readonly RangeTestPoint[]): string {
  return ['learning_rate\tloss\tsmoothed_loss', ...points.map((p) => `${p.learningRate.toExponential(4)}\t${p.loss.toFixed(6)}\t${p.smoothedLoss.toFixed(6)}`)].join('\n');
}
