import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../../main/train/checkpointFormat';
import type { CheckpointMetric } from '../../../main/train/checkpointMetric';
import { CheckpointMismatchError } from '../../../main/train/checkpointState';
import type { HyperParams } from '../../../main/train/protocol';
import { trainLoop, type LoopCheckpoint, type TrainLoopOptions, type TrainLoopResult } from '../../../main/train/trainLoop';
import { graph } from '../core/graphFixtures';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, twoHeadNet, useCpu } from './checkpointFixtures';

interface Session {
  /** train/loss by step. */
  losses: Map<number, number>;
  /** Every per-step row (per-head losses, learned loss weights, the rate…) as `name@step`. */
  stepRows: Map<string, number>;
  result: TrainLoopResult;
  epochMetrics: Map<number, Record<string, number>>;
  checkpoints: LoopCheckpoint[];
  /** Every weight of the model at the end, BatchNorm statistics included. */
  weights: number[][];
  cancelled: boolean;
  startStep: number;
}

/** One trainLoop call on a freshly compiled tiny net (or `extra.graph`), on the cpu backend. */
async function session(h: HyperParams, extra: Partial<TrainLoopOptions> & { initSeed?: number } = {}): Promise<Session> {
  const compiled = compileTiny(extra.initSeed ?? h.seed, extra.graph ?? tinyNet);
  const losses = new Map<number, number>();
  const stepRows = new Map<string, number>();
  const epochMetrics = new Map<number, Record<string, number>>();
  const checkpoints: LoopCheckpoint[] = [];
  try {
    const result = await trainLoop({
      tf,
      compiled,
      graph: tinyNet,
      data: tinyData(),
      hyperParams: h,
      onMetrics: (rows) => {
        for (const r of rows) {
          if (r.name === 'train/loss') losses.set(r.step, r.value);
          if (!/^(val\/|train\/(epoch_loss|top1)$)/.test(r.name)) stepRows.set(`${r.name}@${r.step}`, r.value);
        }
      },
      onEpoch: (epoch, metrics) => epochMetrics.set(epoch, metrics),
      onCheckpoint: (cp) => void checkpoints.push(cp),
      ...extra,
    });
    const weights = compiled.model.getWeights().map((w) => Array.from(w.dataSync()));
    return { losses, stepRows, result, epochMetrics, checkpoints, weights, cancelled: result.cancelled, startStep: result.startStep };
  } finally {
    compiled.model.dispose();
  }
}

const cancelAfter = (steps: number) => {
  let taken = 0;
  return { onProgress: () => void taken++, isCancelled: () => taken >= steps };
};

/** 12 images in batches of 4: three steps an epoch, nine in three epochs. */
const STEPS_PER_EPOCH = 3;

beforeAll(useCpu);

describe('exact resume of the training loop (cpu backend)', () => {
  it('2 epochs, then a resume to 3, replays the uninterrupted 3-epoch run step for step', async () => {
    const straight = await session(tinyHyperParams);
    const first = await session({ ...tinyHyperParams, epochs: 2 });
    expect(first.checkpoints.map((c) => [c.epoch, c.step, c.reason])).toEqual([
      [0, 3, 'epoch'],
      [1, 6, 'epoch'],
    ]);
    // Another init seed: everything must come from the checkpoint.
    const resumed = await session(tinyHyperParams, { initSeed: 999, resumeFrom: decodeCheckpoint(tf, first.checkpoints.at(-1)!.bytes) });
    expect(resumed.startStep).toBe(6);
    expect([...resumed.losses.keys()]).toEqual([6, 7, 8]);
    for (const [step, loss] of resumed.losses) expect(Math.abs(loss - straight.losses.get(step)!)).toBeLessThanOrEqual(1e-6);
    for (const [step, loss] of first.losses) expect(loss).toBe(straight.losses.get(step));
    expect(resumed.epochMetrics.get(2)).toEqual(straight.epochMetrics.get(2));
    expect(resumed.weights).toEqual(straight.weights);
  });

  it.each(['adam', 'adamw', 'sgd', 'nesterov', 'rmsprop'] as const)('a cancel mid-epoch keeps its steps, and the resume replays the rest (%s, cosine schedule)', async (optimizer) => {
    const h: HyperParams = { ...tinyHyperParams, optimizer, schedule: 'cosine', weightDecay: optimizer === 'adamw' ? 0.01 : 0 };
    const straight = await session(h);
    const cancelled = await session(h, cancelAfter(STEPS_PER_EPOCH + 1));
    expect(cancelled.cancelled).toBe(true);
    const last = cancelled.checkpoints.at(-1)!;
    expect([last.reason, last.epoch, last.step, last.isBest]).toEqual(['cancel', 1, 4, false]);

    const resumed = await session(h, { initSeed: 5, resumeFrom: decodeCheckpoint(tf, last.bytes) });
    expect([...resumed.losses.keys()]).toEqual([4, 5, 6, 7, 8]);
    for (const [step, loss] of resumed.losses) expect(Math.abs(loss - straight.losses.get(step)!)).toBeLessThanOrEqual(1e-6);
    // Epoch 1 is split across the two sessions; its summary still covers all of its steps.
    expect(resumed.epochMetrics.get(1)!['train/epoch_loss']).toBeCloseTo(straight.epochMetrics.get(1)!['train/epoch_loss'], 6);
    expect(resumed.weights).toEqual(straight.weights);
  });

  it('a cancel right after an epoch checkpoint adds no second checkpoint', async () => {
    const s = await session(tinyHyperParams, cancelAfter(STEPS_PER_EPOCH));
    expect(s.checkpoints.map((c) => [c.reason, c.step])).toEqual([['epoch', 3]]);
  });

  it('marks as best each checkpoint that beats the ones before by the chosen metric', async () => {
    const metric: CheckpointMetric = { name: 'val/loss', mode: 'min' };
    const s = await session({ ...tinyHyperParams, epochs: 4 }, { checkpointMetric: metric });
    let best = Infinity;
    const expected = [...s.epochMetrics.values()].map((m) => {
      const better = m['val/loss'] < best;
      best = Math.min(best, m['val/loss']);
      return better;
    });
    expect(s.checkpoints.map((c) => c.isBest)).toEqual(expected);
    expect(s.checkpoints.map((c) => c.metric)).toEqual([...s.epochMetrics.values()].map((m) => ({ name: 'val/loss', value: m['val/loss'] })));
  });

  it('refuses a checkpoint metric the loop does not log, listing those it does', async () => {
    await expect(session(tinyHyperParams, { checkpointMetric: { name: 'val/mIoU', mode: 'max' } })).rejects.toThrow(
      /val\/mIoU is not one this run logs; it logs train\/epoch_loss, train\/top1, val\/loss, val\/top1, val\/top5/,
    );
  });

  it('refuses to resume with another batch size, whose steps would see other samples', async () => {
    const first = await session({ ...tinyHyperParams, epochs: 1 });
    const checkpoint = decodeCheckpoint(tf, first.checkpoints[0].bytes);
    await expect(session({ ...tinyHyperParams, batchSize: 6 }, { resumeFrom: checkpoint })).rejects.toThrow(/batch size 4 over 12 training images; this run has 6 over 12/);
  });

  it('refuses the checkpoint of another architecture or optimizer, naming what differs', async () => {
    const first = await session({ ...tinyHyperParams, epochs: 1 });
    const wider = graph(
      tinyNet.nodes.map((n) => (n.id === 'conv' ? { ...n, params: { ...n.params, outChannels: 6 } } : n)),
      ['in -> conv', 'conv -> bn', 'bn -> relu', 'relu -> drop', 'drop -> gap', 'gap -> head'],
    );
    const compiled = compileTiny(1, wider);
    const options = { tf, compiled, graph: wider, data: tinyData(), hyperParams: tinyHyperParams };
    await expect(trainLoop({ ...options, resumeFrom: decodeCheckpoint(tf, first.checkpoints[0].bytes) })).rejects.toThrow(CheckpointMismatchError);
    await expect(trainLoop({ ...options, resumeFrom: decodeCheckpoint(tf, first.checkpoints[0].bytes) })).rejects.toThrow(/conv\/kernel is \[3,3,3,4\] in the checkpoint, \[3,3,3,6\] in the model/);
    compiled.model.dispose();
    await expect(session({ ...tinyHyperParams, optimizer: 'sgd' }, { resumeFrom: decodeCheckpoint(tf, first.checkpoints[0].bytes) })).rejects.toThrow(
      /the optimizer is Momentum, the checkpoint's is Adam/,
    );
  });

  it('two runs with one seed take identical steps; another seed takes other ones', async () => {
    const a = await session({ ...tinyHyperParams, epochs: 1 });
    const b = await session({ ...tinyHyperParams, epochs: 1 });
    const c = await session({ ...tinyHyperParams, epochs: 1, seed: 12 });
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
  });
});

/** The resumed session's per-step rows equal the uninterrupted run's, and it took every step from where it started. */
function expectSameStepRows(resumed: Session, straight: Session): void {
  expect(resumed.stepRows.size).toBeGreaterThan(0);
  for (const [key, value] of resumed.stepRows) {
    expect(straight.stepRows.has(key), key).toBe(true);
    expect(Math.abs(value - straight.stepRows.get(key)!), key).toBeLessThanOrEqual(1e-6);
  }
  const straightSteps = [...straight.losses.keys()].filter((step) => step >= resumed.startStep);
  expect([...resumed.losses.keys()]).toEqual(straightSteps);
}

const lastCheckpoint = (s: Session) => decodeCheckpoint(tf, s.checkpoints.at(-1)!.bytes);

describe('exact resume with the stateful parts of training (cpu backend)', () => {
  it('reduce-on-plateau, early stopping and learning-rate multipliers: cut the rate and stop on the same epochs after a resume', async () => {
    const h: HyperParams = {
      ...tinyHyperParams,
      epochs: 8,
      schedule: 'reduce-on-plateau',
      lrMultipliers: { conv: 0.5 },
      plateau: { metric: 'val/top1', factor: 0.5, patience: 0 },
      earlyStopping: { metric: 'val/top1', mode: 'max', patience: 3, minDelta: 0 },
    };
    const straight = await session(h);
    // What makes this a test of restored state: the rate was cut more than once, and the run stopped early.
    const rates = new Set([...straight.stepRows].filter(([key]) => key.startsWith('train/lr@')).map(([, v]) => v));
    expect(rates.size).toBeGreaterThanOrEqual(3);
    expect(straight.result.stoppedEarly).toBeDefined();
    expect(straight.result.epochsCompleted).toBeLessThan(8);

    const twoEpochs = await session({ ...h, epochs: 2 });
    const fromBoundary = await session(h, { initSeed: 3, resumeFrom: lastCheckpoint(twoEpochs) });
    const cancelled = await session(h, cancelAfter(2 * STEPS_PER_EPOCH + 1));
    const fromMidEpoch = await session(h, { initSeed: 4, resumeFrom: lastCheckpoint(cancelled) });
    for (const resumed of [fromBoundary, fromMidEpoch]) {
      expectSameStepRows(resumed, straight);
      expect(resumed.result.stoppedEarly).toEqual(straight.result.stoppedEarly);
      expect(resumed.result.epochsCompleted).toBe(straight.result.epochsCompleted);
      expect(resumed.weights).toEqual(straight.weights);
    }
  });

  it('uncertainty weighting of two heads: the learned log-variances and their optimizer state come back', async () => {
    const h: HyperParams = { ...tinyHyperParams, lossWeighting: 'uncertainty' };
    const straight = await session(h, { graph: twoHeadNet });
    expect([...straight.stepRows.keys()]).toEqual(expect.arrayContaining(['train/loss_weight/head_a@8', 'train/loss_weight/head_b@8', 'train/loss/head_b@8']));
    const cancelled = await session(h, { graph: twoHeadNet, ...cancelAfter(STEPS_PER_EPOCH + 1) });
    const resumed = await session(h, { graph: twoHeadNet, initSeed: 9, resumeFrom: lastCheckpoint(cancelled) });
    expectSameStepRows(resumed, straight);
    expect(resumed.weights).toEqual(straight.weights);
  });

  it.each([
    ['at the phase boundary (a new optimiser, as the uninterrupted run made)', STEPS_PER_EPOCH],
    ['in the middle of a phase (its optimiser restored)', STEPS_PER_EPOCH + 1],
  ])('the three fine-tune phases resume %s', async (_where, steps) => {
    const h: HyperParams = { ...tinyHyperParams, fineTune: { epochsPerPhase: [1, 1, 1] } };
    const straight = await session(h);
    expect([0, 3, 6].map((step) => straight.stepRows.get(`train/phase@${step}`))).toEqual([0, 1, 2]);
    const cancelled = await session(h, cancelAfter(steps));
    expect(cancelled.checkpoints.at(-1)!.step).toBe(steps);
    const resumed = await session(h, { initSeed: 21, resumeFrom: lastCheckpoint(cancelled) });
    expectSameStepRows(resumed, straight);
    expect(resumed.weights).toEqual(straight.weights);
  });
});
