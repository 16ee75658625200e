import { describe, expect, it } from 'vitest';
import { withFreezeOverrides } from '../../../main/cli/graphOptions';
import { InvalidInputError } from '../../../main/cli/output';
import { epochLine, formatDuration, formatLearningRate, progressLine } from '../../../main/cli/trainProgress';
import { rangeTestPlot } from '../../../main/cli/lrFindPlot';
import { describeWeightReport, humanTrainReporter, phaseLine, stoppedEarlyLine } from '../../../main/cli/trainReporters';
import type { Progress } from '../../../main/train/protocol';
import { tinyNet } from '../../unit/train/checkpointFixtures';

const progress: Progress = { step: 37, epoch: 1, epochs: 10, stepInEpoch: 12, stepsPerEpoch: 25, loss: 1.23456, learningRate: 0.001, imagesPerSecond: 23.46, etaSeconds: 65 };

describe('train output text', () => {
  it.each([
    [0, '0s'],
    [42.4, '42s'],
    [65, '1m05s'],
    [3599, '59m59s'],
    [3725, '1h02m'],
    [Number.POSITIVE_INFINITY, '-'],
    [Number.NaN, '-'],
  ])('formats %d s as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('writes learning rates in scientific notation', () => {
    expect([0.001, 0.0256, 1, 10].map(formatLearningRate)).toEqual(['1.00e-3', '2.56e-2', '1.00e0', '1.00e1']);
  });

  it('puts epoch, a bar over the epoch, step/steps, loss, lr, images/s and ETA on one line', () => {
    // 12 of 25 steps: 10 of 20 cells.
    expect(progressLine(progress)).toBe(`epoch 2/10 [${'\u2588'.repeat(10)}${'\u2591'.repeat(10)}] 12/25 | loss 1.2346 | lr 1.00e-3 | 23.5 img/s | ETA 1m05s`);
  });

  it('drops the bar on a narrow terminal, then cuts the line to fit', () => {
    expect(progressLine(progress, 80)).toBe('epoch 2/10 12/25 | loss 1.2346 | lr 1.00e-3 | 23.5 img/s | ETA 1m05s');
    const cut = progressLine(progress, 30);
    expect(cut).toHaveLength(30);
    expect(cut.endsWith('\u2026')).toBe(true);
  });

  it('summarises an epoch with its metrics by name', () => {
    expect(epochLine(0, 3, { 'val/loss': 0.5, 'val/top1': 0.875 })).toBe('epoch 1/3: val/loss 0.5000, val/top1 0.8750');
  });

  it('redraws the bar in place on a terminal, and prints epoch lines above it', () => {
    let written = '';
    const stream = { isTTY: true, columns: 200, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const reporter = humanTrainReporter(stream);
    reporter.onMessage({ type: 'progress', progress });
    reporter.onMessage({ type: 'progress', progress: { ...progress, stepInEpoch: 13, step: 38 } });
    reporter.onMessage({ type: 'epoch', epoch: 1, metrics: { 'val/top1': 0.5 } });
    const bar = (n: number) => progressLine({ ...progress, stepInEpoch: n }, 199);
    expect(written).toBe(`${bar(12)}\r\x1b[2K${bar(13)}\r\x1b[2Kepoch 2/10: val/top1 0.5000\n${bar(13)}`);
  });

  it('without a terminal prints epoch lines only', () => {
    let written = '';
    const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const reporter = humanTrainReporter(stream);
    reporter.onMessage({ type: 'progress', progress });
    reporter.onMessage({ type: 'epoch', epoch: 1, metrics: { 'val/top1': 0.5 } });
    expect(written).toBe('epoch 2/10: val/top1 0.5000\n');
  });
});

describe('--freeze and --unfreeze', () => {
  const frozenGraph = { ...tinyNet, nodes: tinyNet.nodes.map((n) => (n.id === 'bn' ? { ...n, frozen: true } : n)) };

  it('override the graph’s own flags; unfreezing removes the flag', () => {
    const out = withFreezeOverrides(frozenGraph, { freeze: 'conv, head', unfreeze: 'bn' });
    expect(out.nodes.filter((n) => n.frozen).map((n) => n.id)).toEqual(['conv', 'head']);
    expect('frozen' in out.nodes.find((n) => n.id === 'bn')!).toBe(false);
    expect(frozenGraph.nodes.find((n) => n.id === 'bn')!.frozen).toBe(true);
    expect(withFreezeOverrides(frozenGraph, {})).toBe(frozenGraph);
  });

  it('name every unknown id and every id in both lists, and list the graph’s nodes', () => {
    let error: unknown;
    try {
      withFreezeOverrides(tinyNet, { freeze: 'conv,nope', unfreeze: 'ghost,conv' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      '--freeze: graph "test" has no node "nope"\n--unfreeze: graph "test" has no node "ghost"\nnode "conv" is in both --freeze and --unfreeze\n' +
        '(its nodes: in, conv, bn, relu, drop, gap, head)',
    );
  });
});

describe('fine-tune, weights, early stopping and range-test text', () => {
  it('puts the fine-tune phase in front of the progress line', () => {
    expect(progressLine({ ...progress, phase: { index: 1, name: 'top', count: 3 } }, 80)).toBe('top 2/3 · epoch 2/10 12/25 | loss 1.2346 | lr 1.00e-3 | 23.5 img/s | ETA 1m05s');
  });

  it('reports loaded weights in one line per kind of leftover, long lists cut short', () => {
    const text = describeWeightReport({
      source: 'run R (best checkpoint, epoch 3)',
      total: 12,
      matched: 3,
      missing: ['a/kernel', 'b/kernel', 'c/kernel', 'd/kernel', 'e/kernel', 'f/kernel', 'g/kernel', 'h/kernel'],
      mismatched: [{ name: 'head/kernel', targetShape: [4, 12], sourceShape: [4, 10] }],
      unused: [],
      ambiguous: [],
      pretrainedNodes: [],
    });
    expect(text).toBe(
      'Initial weights from run R (best checkpoint, epoch 3): 3 of 12 loaded\n' +
        '  mismatched, kept their initial values: head/kernel [4,12] vs [4,10]\n' +
        '  missing from the source, start fresh: a/kernel, b/kernel, c/kernel, d/kernel, e/kernel, f/kernel and 2 more',
    );
  });

  it('announces a phase with its epochs (1-based), rate and nodes', () => {
    const phase = { type: 'phase' as const, index: 1, count: 3, name: 'top', firstEpoch: 5, endEpoch: 15, learningRate: 0.001, trainableNodes: ['layer4', 'fc'], frozenNodes: ['stem'], resumed: false };
    expect(phaseLine(phase)).toBe('Phase 2/3 (top): epochs 6-15, lr 1.00e-3; training: layer4, fc; frozen: stem');
    expect(phaseLine({ ...phase, endEpoch: 6, frozenNodes: [], resumed: true })).toBe('Phase 2/3 (top), resumed: epoch 6, lr 1.00e-3; training: layer4, fc');
  });

  it('says why a run stopped early', () => {
    expect(stoppedEarlyLine({ metric: 'val/loss', bestEpoch: 3, best: 0.25, reason: 'patience' })).toBe('  stopped early: val/loss stopped improving; best 0.2500 at epoch 4');
    expect(stoppedEarlyLine({ metric: 'val/loss', bestEpoch: null, best: null, reason: 'non_finite' })).toBe('  stopped early: val/loss was not finite');
  });

  it('plots the range test: log-scale x, the blow-up cut off the top, S and M under the axis', () => {
    // Loss falls from 2 to 1 over 1e-4..1e-2, then blows up to 8 at 1.
    const points = [1e-4, 1e-3, 1e-2, 1e-1, 1].map((learningRate, i) => ({ learningRate, loss: 0, smoothedLoss: [2, 1.5, 1, 1.2, 8][i] }));
    const plot = rangeTestPlot(points, { steepest: 1e-3, minimumOverTen: 1e-3 }, { width: 9, height: 3 }).split('\n');
    expect(plot).toEqual([
      '   2.000 |*       ^',
      '         |  *      ',
      '   1.000 |    * *  ',
      '         +---------',
      '          1.00e-4 1.00e0  (learning rate, log scale)',
      '            S',
    ]);
  });
});
