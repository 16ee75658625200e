import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type ExperimentStore } from '../../../main/store/openStore';
import type { FromTrainer, HyperParams } from '../../../main/train/protocol';
import { resumeTraining, startTraining, type StartedTraining } from '../../../main/train/runTraining';
import { tinyHyperParams, tinyNet } from '../../unit/train/checkpointFixtures';

/**
 * Real trainer processes on the cpu backend (one thread, so summation order is fixed) and a
 * tiny net with BatchNorm and dropout: 12 images in batches of 4, three steps an epoch.
 */
const data = { kind: 'synthetic' as const, trainCount: 12, valCount: 4, seed: 2 };
const STEPS_PER_EPOCH = 3;

let dir: string;
let storeFile: string;
let store: ExperimentStore;
/** train/loss by step of an uninterrupted 3-epoch run: what every resumed run must replay. */
let straight: Map<number, number>;

function train(hyperParams: HyperParams, onMessage?: (m: FromTrainer, started: StartedTraining) => void): StartedTraining {
  const started: StartedTraining = startTraining({ store, storeFile, graph: tinyNet, hyperParams, data, backend: 'cpu', onMessage: (m) => onMessage?.(m, started) });
  return started;
}

function losses(runId: string): Map<number, number> {
  return new Map(store.getMetrics(runId, ['train/loss'])[0].points.map((p) => [p.step, p.value]));
}

function expectSameSteps(actual: Map<number, number>, expected: Map<number, number>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [step, loss] of expected) expect(Math.abs(actual.get(step)! - loss), `train/loss at step ${step}`).toBeLessThanOrEqual(1e-6);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-resume-'));
  storeFile = path.join(dir, 'store.sqlite');
  store = openStore(storeFile);
  const run = train(tinyHyperParams);
  expect((await run.outcome).status).toBe('finished');
  straight = losses(run.runId);
  expect(straight.size).toBe(3 * STEPS_PER_EPOCH);
}, 120_000);

afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('resuming a run in a new trainer process (cpu backend)', () => {
  it('2 epochs, then --resume to 3: the same run, and the same train/loss at every step as 3 epochs straight', async () => {
    const first = train({ ...tinyHyperParams, epochs: 2 });
    expect((await first.outcome).status).toBe('finished');
    expect(store.listCheckpoints(first.runId).at(-1)).toMatchObject({ epoch: 1, step: 6 });

    const messages: FromTrainer[] = [];
    const resumed = resumeTraining({ store, storeFile, runId: first.runId, epochs: 3, onMessage: (m) => messages.push(m) });
    expect(resumed.runId).toBe(first.runId);
    const outcome = await resumed.outcome;
    expect(outcome.status, JSON.stringify(outcome)).toBe('finished');
    expect(messages.find((m) => m.type === 'restored')).toMatchObject({ epoch: 2, step: 6 });
    if (outcome.status === 'finished') expect(outcome.summary).toMatchObject({ epochs: 3, startStep: 6, threads: 1 });

    const run = store.getRun(first.runId)!;
    expect(run).toMatchObject({ status: 'finished', epochs: 3, threads: 1, hyperParams: { epochs: 3 } });
    expect(run.backend).toMatch(/^cpu/);
    expectSameSteps(losses(first.runId), straight);
    expect(store.getMetrics(first.runId, ['val/top1'])[0].points).toHaveLength(3);
  });

  it('a SIGKILLed trainer leaves the run failed with its metrics and last checkpoint, and the run resumes', async () => {
    const killed = train(tinyHyperParams, (m, started) => {
      // Mid-way through epoch 1, after epoch 0's checkpoint.
      if (m.type === 'progress' && m.progress.step === STEPS_PER_EPOCH + 2) started.trainer.kill();
    });
    const outcome = await killed.outcome;
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toMatch(/SIGKILL/);
    const run = store.getRun(killed.runId)!;
    expect(run.status).toBe('failed');
    expect(losses(killed.runId).size).toBeGreaterThanOrEqual(STEPS_PER_EPOCH + 2);
    const [checkpoint] = store.listCheckpoints(killed.runId);
    expect(checkpoint).toMatchObject({ epoch: 0, step: STEPS_PER_EPOCH });
    expect(fs.existsSync(store.dataPath(checkpoint.path))).toBe(true);

    const resumed = resumeTraining({ store, storeFile, runId: killed.runId });
    expect((await resumed.outcome).status).toBe('finished');
    expect(store.getRun(killed.runId)).toMatchObject({ status: 'finished', epochs: 3, error: null });
    // The steps after the checkpoint ran twice; the second time they logged the same values.
    expectSameSteps(losses(killed.runId), straight);
  });

  it('pauses and goes on when told, and a cancel stops it with a checkpoint of its steps', async () => {
    const messages: FromTrainer[] = [];
    let seenAfterPause = 0;
    const started = train({ ...tinyHyperParams, epochs: 50 }, (m) => {
      messages.push(m);
      if (messages.some((x) => x.type === 'paused') && !messages.some((x) => x.type === 'resumed') && m.type === 'progress') seenAfterPause++;
    });
    const next = (type: FromTrainer['type'], test: (m: FromTrainer) => boolean = () => true) =>
      new Promise<FromTrainer>((resolve) => {
        const poll = () => {
          const found = messages.find((m) => m.type === type && test(m));
          if (found) resolve(found);
          else setTimeout(poll, 20);
        };
        poll();
      });

    await next('progress', (m) => m.type === 'progress' && m.progress.step >= 2);
    started.trainer.pause();
    const paused = await next('paused');
    // Held: nothing moves while paused (the wait only gives a wrongly running trainer time to show itself).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seenAfterPause).toBe(0);
    started.trainer.resume();
    const resumed = await next('resumed');
    expect(resumed).toEqual({ type: 'resumed', epoch: (paused as { epoch: number }).epoch, step: (paused as { step: number }).step });
    await next('progress', (m) => m.type === 'progress' && m.progress.step >= STEPS_PER_EPOCH + 1);
    started.trainer.cancel();
    const outcome = await started.outcome;

    expect(outcome.status).toBe('cancelled');
    if (outcome.status !== 'cancelled') return;
    const run = store.getRun(started.runId)!;
    expect(run.status).toBe('cancelled');
    const stepsTaken = Math.max(...losses(started.runId).keys()) + 1;
    expect(stepsTaken).toBeGreaterThan(STEPS_PER_EPOCH);
    expect(outcome.summary.metrics['train/loss']).toBe(losses(started.runId).get(stepsTaken - 1));
    // The last checkpoint holds every step taken, mid-epoch or not.
    expect(store.listCheckpoints(started.runId).at(-1)!.step).toBe(stepsTaken);
    const kinds = messages.filter((m) => m.type === 'checkpoint').map((m) => (m as { step: number }).step);
    expect(kinds.at(-1)).toBe(stepsTaken);
    // The pause changed nothing: the steps are those of an unpaused run.
    expectSameSteps(losses(started.runId), new Map([...straight].filter(([step]) => step < stepsTaken)));

    // And the cancelled run resumes (to 3 epochs, fewer than it asked for at first).
    const more = resumeTraining({ store, storeFile, runId: started.runId, epochs: 3 });
    expect((await more.outcome).status).toBe('finished');
    expectSameSteps(losses(started.runId), straight);
  });

  it('refuses to resume a run with nothing left to train, a running run, and an unknown one', () => {
    const done = store.listRuns().find((r) => r.status === 'finished' && r.epochs === 3)!;
    expect(() => resumeTraining({ store, storeFile, runId: done.id })).toThrow(/has already trained 3 epoch\(s\); ask for more \(--epochs 4 or above\)/);
    expect(() => resumeTraining({ store, storeFile, runId: '20990101-000000-0000' })).toThrow('No run with id "20990101-000000-0000"');
    const queued = store.createRun({ name: 'q', graph: tinyNet, hyperParams: { ...tinyHyperParams, data }, backend: 'cpu', seed: 1 });
    expect(() => resumeTraining({ store, storeFile, runId: queued })).toThrow(/is queued; only a finished, failed or cancelled run can be resumed/);
    store.finishRun(queued, { status: 'cancelled' });
    expect(() => resumeTraining({ store, storeFile, runId: queued })).toThrow(/has no checkpoint to resume from/);
  });
});

describe('resuming a run with plateau, early stopping and learning-rate multipliers (cpu backend)', () => {
  it('replays the uninterrupted run step for step, cuts the rate and stops on the same epochs', async () => {
    const h: HyperParams = {
      ...tinyHyperParams,
      epochs: 8,
      schedule: 'reduce-on-plateau',
      lrMultipliers: { conv: 0.5 },
      plateau: { metric: 'val/top1', factor: 0.5, patience: 0 },
      earlyStopping: { metric: 'val/top1', mode: 'max', patience: 3, minDelta: 0 },
    };
    const full = train(h);
    const fullOutcome = await full.outcome;
    expect(fullOutcome.status).toBe('finished');
    const rates = (runId: string) => store.getMetrics(runId, ['train/lr'])[0].points.map((p) => p.value);
    // The uninterrupted run cut its rate and stopped early: what the resumed one must reproduce from its checkpoint.
    expect(new Set(rates(full.runId)).size).toBeGreaterThanOrEqual(3);
    if (fullOutcome.status !== 'finished') return;
    expect(fullOutcome.summary.stoppedEarly).toBeDefined();
    expect(fullOutcome.summary.epochs).toBeLessThan(8);

    const first = train({ ...h, epochs: 2 });
    expect((await first.outcome).status).toBe('finished');
    const resumed = resumeTraining({ store, storeFile, runId: first.runId, epochs: 8 });
    const outcome = await resumed.outcome;
    expect(outcome.status).toBe('finished');
    if (outcome.status !== 'finished') return;
    expectSameSteps(losses(first.runId), losses(full.runId));
    expect(rates(first.runId)).toEqual(rates(full.runId));
    expect(outcome.summary.stoppedEarly).toEqual(fullOutcome.summary.stoppedEarly);
    expect(outcome.summary.epochs).toBe(fullOutcome.summary.epochs);
    expect(store.getRun(first.runId)).toMatchObject({ status: 'finished', epochs: fullOutcome.summary.epochs });
  });
});
