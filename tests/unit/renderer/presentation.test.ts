import { describe, expect, it } from 'vitest';
import { BLOCKS } from '../../../main/core';
import { alignSeries } from '../../../renderer/src/charts/alignSeries';
import { blocksByCategory } from '../../../renderer/src/graph/blockCatalog';
import { paramSummary } from '../../../renderer/src/graph/paramSummary';
import { READABLE_ZOOM, initialViewport } from '../../../renderer/src/graph/viewport';
import { formatMetric, formatPercent, headlineMetric, sortRuns } from '../../../renderer/src/format/runFormat';
import { finishedRun, loadTemplate, lossSeries } from './fixtures';

describe('paramSummary', () => {
  it.each([
    ['Conv2d', { outChannels: 64, kernel: 3, stride: 1, padding: 1, bias: false }, '64 ch · 3×3 p1 · no bias'],
    ['Conv2d', { outChannels: 64, kernel: 1, stride: 2, padding: 0 }, '64 ch · 1×1 s2'],
    ['Conv2d', { outChannels: 8, padding: 'same', dilation: 2 }, '8 ch · same d2'],
    ['MaxPool', { kernel: 3, stride: 2, padding: 1 }, '3×3 s2 p1'],
    ['Linear', { outFeatures: 10 }, '10 out'],
    ['ClassificationHead', { classes: 1000, labelSmoothing: 0.1 }, '1000 classes · labelSmoothing 0.1'],
    ['Input', { channels: 3, height: 224, width: 224 }, ''],
    ['BatchNorm', {}, ''],
  ])('%s %j → %j', (type, params, expected) => {
    expect(paramSummary(type, params)).toBe(expected);
  });
});

describe('blocksByCategory', () => {
  it('lists every registry block once, grouped, in palette order', () => {
    const groups = blocksByCategory();
    expect(groups.flatMap((g) => g.blocks)).toHaveLength(BLOCKS.length);
    expect(groups[0]).toMatchObject({ category: 'input', label: 'Input' });
    expect(groups.every((g) => g.blocks.every((b) => b.category === g.category && b.doc.length > 0))).toBe(true);
  });
});

describe('alignSeries', () => {
  it('puts per-step and per-epoch series on one step axis with gaps', () => {
    const { x, ys } = alignSeries(lossSeries());
    expect(x).toEqual([1, 2, 3, 4]);
    expect(ys[1]).toEqual([null, 1.6, null, 1.1]);
    expect(ys[0]).toHaveLength(4);
  });

  it('handles no series and non-finite values', () => {
    expect(alignSeries([])).toEqual({ x: [], ys: [] });
    expect(alignSeries([{ name: 'a', points: [{ step: 0, epoch: 0, value: Number.NaN }] }]).ys).toEqual([[null]]);
  });
});

describe('initialViewport', () => {
  it('centres a graph that fits at a readable zoom', () => {
    const v = initialViewport({ x: 0, y: 0, width: 400, height: 200 }, { width: 1000, height: 600 });
    expect(v.zoom).toBe(READABLE_ZOOM.max);
    expect(v.x).toBe(300);
    expect(v.y).toBe(200);
  });

  it('shows the start of a wide graph at the smallest readable zoom', () => {
    const v = initialViewport({ x: 0, y: 0, width: 5900, height: 220 }, { width: 800, height: 560 });
    expect(v.zoom).toBe(READABLE_ZOOM.min);
    expect(v.x).toBe(40);
  });

  it('shows the top of a tall graph (the inputs), not its middle', () => {
    const v = initialViewport({ x: 0, y: -100, width: 1500, height: 1500 }, { width: 800, height: 560 });
    expect(v.zoom).toBe(READABLE_ZOOM.min);
    expect(v.x).toBe(40);
    expect(v.y).toBe(40 + 100 * READABLE_ZOOM.min);
  });
});

describe('run formatting', () => {
  it.each([
    [0.625, '62.5 %'],
    [1, '100.0 %'],
    [undefined, '—'],
    [Number.NaN, '—'],
  ])('formatPercent(%s) = %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });

  it('formats losses to four significant digits', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(null)).toBe('—');
  });

  it('prefers top-1 as the headline, then loss', () => {
    const run = finishedRun(loadTemplate('tiny_resnet'));
    expect(headlineMetric(run)).toEqual({ label: 'val/top1', value: '62.5 %' });
    expect(headlineMetric({ ...run, metrics: { 'train/loss': 0.5 } })).toEqual({ label: 'loss', value: '0.5' });
  });

  it('sorts runs newest first', () => {
    const run = finishedRun(loadTemplate('tiny_resnet'));
    const older = { ...run, id: 'old', createdAt: '2025-01-01T00:00:00Z' };
    expect(sortRuns([older, run]).map((r) => r.id)).toEqual(['run-1', 'old']);
  });
});
