import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParams } from '../../../main/train/protocol';
import { trainLoop, type MetricRow, type TrainLoopResult } from '../../../main/train/trainLoop';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, useCpu } from './checkpointFixtures';

/** 12 images in batches of 4: three steps an epoch. */
const STEPS_PER_EPOCH = 3;

interface Run {
  rows: MetricRow[];
  epochs: Record<string, number>[];
  reductions: (number | undefined)[];
  result: TrainLoopResult;
}

async function run(h: HyperParams): Promise<Run> {
  const compiled = compileTiny(h.seed);
  const rows: MetricRow[] = [];
  const epochs: Record<string, number>[] = [];
  const reductions: (number | undefined)[] = [];
  try {
    const result = await trainLoop({
      tf,
      compiled,
      graph: tinyNet,
      data: tinyData(),
      hyperParams: h,
      onMetrics: (r) => rows.push(...r),
      onEpoch: (_epoch, metrics, notes) => {
        epochs.push(metrics);
        reductions.push(notes.learningRateReducedTo);
      },
    });
    return { rows, epochs, reductions, result };
  } finally {
    compiled.model.dispose();
  }
}

/** The rate of each epoch's steps (all steps of an epoch share it under reduce-on-plateau). */
function ratePerEpoch(rows: MetricRow[]): number[] {
  const byEpoch = new Map<number, Set<number>>();
  for (const r of rows.filter((x) => x.name === 'train/lr')) byEpoch.set(r.epoch, (byEpoch.get(r.epoch) ?? new Set()).add(r.value));
  return [...byEpoch.values()].map((rates) => {
    expect(rates.size).toBe(1);
    return [...rates][0];
  });
}

beforeAll(useCpu);

describe('reduce-on-plateau in the loop', () => {
  it('cuts the rate by the factor after each epoch that fails to improve the metric by more than patience epochs', async () => {
    // val/loss in max mode "improves" only when it rises, so a falling loss cuts the rate: every branch shows up.
    const h: HyperParams = { ...tinyHyperParams, epochs: 5, schedule: 'reduce-on-plateau', plateau: { metric: 'val/loss', mode: 'max', factor: 0.5, patience: 1 } };
    const r = await run(h);
    // The rule, worked independently from the logged metric: PyTorch's, with threshold 1e-4 relative.
    let rate = h.learningRate;
    let best: number | null = null;
    let bad = 0;
    const expected: number[] = [];
    const cuts: (number | undefined)[] = [];
    for (const metrics of r.epochs) {
      expected.push(rate);
      const v = metrics['val/loss'];
      if (best === null || v > best * (1 + 1e-4)) [best, bad] = [v, 0];
      else bad++;
      if (bad > 1) [rate, bad] = [rate * 0.5, 0];
      cuts.push(rate !== expected.at(-1) ? rate : undefined);
    }
    expect(ratePerEpoch(r.rows)).toEqual(expected);
    expect(r.reductions).toEqual(cuts);
    expect(cuts.some((c) => c !== undefined)).toBe(true);
  });

  it('without the schedule the plateau options change nothing', async () => {
    const r = await run({ ...tinyHyperParams, epochs: 2, plateau: { metric: 'val/loss', mode: 'max', factor: 0.5, patience: 0 } });
    expect(ratePerEpoch(r.rows)).toEqual([0.01, 0.01]);
  });

  it('refuses to watch a metric the run does not log', async () => {
    await expect(run({ ...tinyHyperParams, schedule: 'reduce-on-plateau', plateau: { metric: 'val/mIoU', factor: 0.5, patience: 1 } })).rejects.toThrow(
      /The reduce-on-plateau metric val\/mIoU is not one this run logs; it logs train\/epoch_loss, train\/top1, val\/loss, val\/top1, val\/top5/,
    );
  });
});

describe('early stopping in the loop', () => {
  it('stops after the epoch that exhausts patience, checkpointed, and says which epoch was best', async () => {
    // train/epoch_loss in max mode: an improvement only when it rises.
    const h: HyperParams = { ...tinyHyperParams, epochs: 10, earlyStopping: { metric: 'train/epoch_loss', mode: 'max', patience: 2, minDelta: 0 } };
    const r = await run(h);
    let best = -Infinity;
    let bestEpoch = -1;
    let without = 0;
    let stopAfter = -1;
    r.epochs.forEach((m, epoch) => {
      if (stopAfter >= 0) return;
      if (m['train/epoch_loss'] > best) [best, bestEpoch, without] = [m['train/epoch_loss'], epoch, 0];
      else if (++without >= 2) stopAfter = epoch;
    });
    expect(stopAfter).toBeGreaterThanOrEqual(0);
    expect(r.result.epochsCompleted).toBe(stopAfter + 1);
    expect(r.epochs).toHaveLength(stopAfter + 1);
    expect(Math.max(...r.rows.map((x) => x.step))).toBe((stopAfter + 1) * STEPS_PER_EPOCH - 1);
    expect(r.result.stoppedEarly).toEqual({ metric: 'train/epoch_loss', bestEpoch, best, reason: 'patience' });
    expect(r.result.cancelled).toBe(false);
  });

  it('a run whose patience runs out on its last epoch just finishes', async () => {
    const r = await run({ ...tinyHyperParams, epochs: 2, earlyStopping: { metric: 'val/loss', mode: 'max', patience: 1, minDelta: 10 } });
    expect(r.result.epochsCompleted).toBe(2);
    expect(r.result.stoppedEarly).toBeUndefined();
  });

  it('refuses to watch a metric the run does not log', async () => {
    await expect(run({ ...tinyHyperParams, earlyStopping: { metric: 'val/mAP@0.5', mode: 'max', patience: 2, minDelta: 0 } })).rejects.toThrow(
      /The early-stopping metric val\/mAP@0.5 is not one this run logs/,
    );
  });
});
