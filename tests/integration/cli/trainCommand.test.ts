import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/openStore';
import { tinyNet } from '../../unit/train/checkpointFixtures';

const BIN = path.resolve('bin/visionbench.mjs');
/** 8 images in batches of 4 on the cpu backend: two steps an epoch. */
const TINY = ['--synthetic', '--backend', 'cpu', '--batch', '4', '--train-size', '8', '--val-size', '4'];

let dir: string;
let storeFile: string;
let graphFile: string;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--store', storeFile], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-train-cli-'));
  storeFile = path.join(dir, 'store.sqlite');
  graphFile = path.join(dir, 'tiny.json');
  fs.writeFileSync(graphFile, JSON.stringify(tinyNet));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('visionbench train', () => {
  let runId: string;

  it('--json: one event per line, then the summary; --freeze and --checkpoint-metric reach the run', () => {
    const { code, stdout, stderr } = cli('train', graphFile, ...TINY, '--epochs', '1', '--freeze', 'conv', '--checkpoint-metric', 'val/loss', '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.map((l) => l.event)).toEqual(['started', 'ready', 'progress', 'progress', 'epoch', 'checkpoint', 'checkpoint', 'summary']);
    const summary = lines.at(-1)!;
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(['runId', 'backend', 'epochs', 'finalLoss', 'metrics', 'imagesPerSecond']));
    expect(summary).toMatchObject({ status: 'finished', epochs: 1, threads: 1, finalLoss: expect.any(Number), imagesPerSecond: expect.any(Number) });
    expect(summary.backend).toMatch(/^cpu/);
    expect(Object.keys(summary.metrics as object).sort()).toEqual(['train/epoch_loss', 'train/loss', 'train/loss/head', 'train/lr', 'train/top1', 'val/loss', 'val/top1', 'val/top5']);
    expect((summary.metrics as Record<string, number>)['train/loss']).toBe(summary.finalLoss);
    expect(lines.filter((l) => l.event === 'checkpoint').map((l) => l.kind)).toEqual(['last', 'best']);
    runId = summary.runId as string;

    const store = openStore(storeFile);
    const run = store.getRun(runId)!;
    expect(run).toMatchObject({ status: 'finished', threads: 1, hyperParams: { checkpointMetric: { name: 'val/loss', mode: 'min' } } });
    expect(run.graph.nodes.find((n) => n.id === 'conv')!.frozen).toBe(true);
    const [best] = store.listCheckpoints(runId);
    expect(best).toMatchObject({ isBest: true, metric: { name: 'val/loss', value: (summary.metrics as Record<string, number>)['val/loss'] } });
    expect((summary.checkpoints as { best: string }).best).toBe(store.dataPath(best.path));
    store.close();
  });

  it('--resume <run> --epochs 2 continues the same run, appending its metrics', () => {
    const { code, stdout, stderr } = cli('train', '--resume', runId, '--epochs', '2', '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines[0]).toEqual({ event: 'started', runId, resumedFromStep: 2 });
    expect(lines.find((l) => l.event === 'restored')).toMatchObject({ epoch: 1, step: 2 });
    expect(lines.at(-1)).toMatchObject({ event: 'summary', runId, status: 'finished', epochs: 2, startStep: 2 });
    const store = openStore(storeFile);
    expect(store.getMetrics(runId, ['train/loss'])[0].points.map((p) => p.step)).toEqual([0, 1, 2, 3]);
    expect(store.getRun(runId)).toMatchObject({ status: 'finished', epochs: 2 });
    store.close();
  });

  it.each([
    [['train', 'GRAPH', ...TINY, '--freeze', 'conv,nope', '--unfreeze', 'bn,conv'], /--freeze: graph "test" has no node "nope"\nnode "conv" is in both --freeze and --unfreeze/],
    [['train', '--resume', 'RUN', '--lr', '0.1', '--seed', '3'], /these cannot change: --lr, --seed/],
    [['train', '--resume', 'RUN'], /has already trained 2 epoch\(s\)/],
    [['train'], /Say what to train/],
  ])('refuses %j with exit 1 and the reason', (args, message) => {
    const { code, stderr } = cli(...args.map((a) => (a === 'GRAPH' ? graphFile : a === 'RUN' ? runId : a)));
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it('Ctrl-C cancels cleanly: the run is cancelled, with a checkpoint, and the summary says so', async () => {
    // Its own process group, as a terminal's foreground job is: the signal reaches the
    // command and its trainer alike, and only the command may act on it.
    const child = spawn(process.execPath, [BIN, 'train', graphFile, ...TINY, '--epochs', '500', '--json', '--store', storeFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && /"event":"checkpoint"/.test(stdout)) {
        signalled = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.some((l) => l.event === 'cancelling')).toBe(true);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', status: 'cancelled' });
    const store = openStore(storeFile);
    const run = store.getRun(summary.runId as string)!;
    expect(run.status).toBe('cancelled');
    const steps = store.getMetrics(run.id, ['train/loss'])[0].points.length;
    expect(store.listCheckpoints(run.id).at(-1)!.step).toBe(steps);
    store.close();
  });
});
