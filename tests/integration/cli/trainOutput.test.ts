import { describe, expect, it } from 'vitest';
import { withFreezeOverrides } from '../../../main/cli/graphOptions';
import { InvalidInputError } from '../../../main/cli/output';
import { epochLine, formatDuration, formatLearningRate, progressLine } from '../../../main/cli/trainProgress';
import { humanTrainReporter } from '../../../main/cli/trainReporters';
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
