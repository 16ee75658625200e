import { describe, expect, it } from 'vitest';
import { cliWorkspace, jsonLines } from './cliWorkspace';
import { rangeTestLearningRate } from '../../../main/train/lrFinder';
import { openStore } from '../../../main/store/openStore';
import { tinyNet } from '../../unit/train/checkpointFixtures';

/** 8 images in batches of 4 on the cpu backend: two steps an epoch, so 12 steps cross 6 epochs. */
const TINY = ['--synthetic', '--backend', 'cpu', '--batch', '4', '--train-size', '8', '--val-size', '4'];

const workspace = cliWorkspace('vb-lr-find-', tinyNet);
const { cli } = workspace;

describe('visionbench lr-find', () => {
  it('--json: a point per step at the exponential rates, then every point and the suggestions; no run recorded', () => {
    const { code, stdout, stderr } = cli('lr-find', workspace.graphFile, ...TINY, '--min-lr', '1e-4', '--max-lr', '1', '--steps', '12', '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines[0]).toEqual({ event: 'started', steps: 12, minLr: 1e-4, maxLr: 1 });
    expect(lines[1]).toMatchObject({ event: 'ready', threads: 1 });
    const points = lines.filter((l) => l.event === 'point');
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', status: 'finished', reason: expect.stringMatching(/^(completed|diverged|non_finite)$/), threads: 1 });
    const all = summary.points as { learningRate: number; loss: number; smoothedLoss: number }[];
    expect(points.map(({ event: _e, step: _s, ...p }) => p)).toEqual(all);
    expect(points.map((p) => p.step)).toEqual(all.map((_, i) => i));
    if (summary.reason === 'completed') expect(all).toHaveLength(12);
    // The rate of step i is 1e-4·(1/1e-4)^(i/11): 1e-4 first, 1 at the last planned step.
    all.forEach((p, i) => expect(p.learningRate).toBeCloseTo(rangeTestLearningRate({ minLr: 1e-4, maxLr: 1, steps: 12 }, i), 12));
    expect(all[0].learningRate).toBeCloseTo(1e-4, 15);
    for (const p of all) expect(Number.isFinite(p.smoothedLoss)).toBe(true);
    const suggestion = summary.suggestion as { steepest: number; minimumOverTen: number };
    const rates = all.map((p) => p.learningRate);
    expect(rates).toContain(suggestion.steepest);
    expect(rates.map((r) => r / 10)).toContain(suggestion.minimumOverTen);
    const store = openStore(workspace.storeFile);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('in a pipe prints a table of the points and the suggested rates', () => {
    const { code, stdout, stderr } = cli('lr-find', workspace.graphFile, ...TINY, '--steps', '4', '--min-lr', '1e-3', '--max-lr', '1e-2');
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('learning_rate\tloss\tsmoothed_loss');
    expect(lines.slice(1, 5).map((l) => Number(l.split('\t')[0]))).toEqual([1e-3, 1e-3 * 10 ** (1 / 3), 1e-3 * 10 ** (2 / 3), 1e-2].map((r) => Number(r.toExponential(4))));
    expect(lines[5]).toMatch(/^Range test: 4 step\(s\) on cpu/);
    expect(stdout).toMatch(/Suggested learning rate: \d\.\d\de-\d \(S: steepest descent of the loss\)/);
  });

  it.each([
    [['--min-lr', '1', '--max-lr', '0.1'], /--max-lr must be greater than --min-lr \(got 0.1 and 1\)/],
    [['--steps', '1'], /--steps: Too small/],
    [['--min-lr', '-1'], /--min-lr: Too small/],
    [['--lr-mult', 'ghost=0'], /--lr-mult: graph "test" has no node "ghost"/],
  ])('refuses %j with exit 1', (args, message) => {
    const { code, stderr } = cli('lr-find', workspace.graphFile, ...TINY, ...args);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});
