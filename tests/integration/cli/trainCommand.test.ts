import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliWorkspace, jsonLines } from './cliWorkspace';
import { openStore } from '../../../main/store/openStore';
import { tinyNet } from '../../unit/train/checkpointFixtures';

/** 8 images in batches of 4 on the cpu backend: two steps an epoch. */
const TINY = ['--synthetic', '--backend', 'cpu', '--batch', '4', '--train-size', '8', '--val-size', '4'];

const workspace = cliWorkspace('vb-train-cli-', tinyNet);
const { cli } = workspace;

describe('visionbench train', () => {
  let runId: string;

  it('--json: one event per line, then the summary; --freeze and --checkpoint-metric reach the run', () => {
    const { code, stdout, stderr } = cli('train', workspace.graphFile, ...TINY, '--epochs', '1', '--freeze', 'conv', '--checkpoint-metric', 'val/loss', '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.map((l) => l.event)).toEqual(['started', 'ready', 'progress', 'progress', 'epoch', 'samples', 'checkpoint', 'checkpoint', 'summary']);
    const summary = lines.at(-1)!;
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(['runId', 'backend', 'epochs', 'finalLoss', 'metrics', 'imagesPerSecond']));
    expect(summary).toMatchObject({ status: 'finished', epochs: 1, threads: 1, finalLoss: expect.any(Number), imagesPerSecond: expect.any(Number) });
    expect(summary.backend).toMatch(/^cpu/);
    expect(Object.keys(summary.metrics as object).sort()).toEqual(['train/epoch_loss', 'train/loss', 'train/loss/head', 'train/lr', 'train/top1', 'val/loss', 'val/top1', 'val/top5']);
    expect((summary.metrics as Record<string, number>)['train/loss']).toBe(summary.finalLoss);
    expect(lines.filter((l) => l.event === 'checkpoint').map((l) => l.kind)).toEqual(['last', 'best']);
    runId = summary.runId as string;

    const store = openStore(workspace.storeFile);
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
    const store = openStore(workspace.storeFile);
    expect(store.getMetrics(runId, ['train/loss'])[0].points.map((p) => p.step)).toEqual([0, 1, 2, 3]);
    expect(store.getRun(runId)).toMatchObject({ status: 'finished', epochs: 2 });
    store.close();
  });

  it('keeps each epoch\'s sample predictions; runs show prints the last epoch\'s, --json gives them whole', () => {
    const store = openStore(workspace.storeFile);
    const stored = store.listSamplePredictions(runId);
    store.close();
    // One per epoch, the first trained before the resume, the second after; all 4 validation images each.
    expect(stored.map((s) => [s.epoch, s.step, s.head, s.predictions.length])).toEqual([
      [0, 1, 'head', 4],
      [1, 3, 'head', 4],
    ]);
    const json = cli('runs', 'show', runId, '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).samplePredictions).toEqual(stored[1]);

    const human = cli('runs', 'show', runId);
    expect(human.code, human.stderr).toBe(0);
    const right = stored[1].predictions.filter((p) => p.top[0].class === p.label).length;
    expect(human.stdout).toContain(`Sample predictions after epoch 2 (head head): ${right} of 4 right`);
    const rows = human.stdout.split('\n').slice(human.stdout.split('\n').findIndex((l) => l.startsWith('Sample predictions')) + 2, -1);
    expect(rows.map((r) => r.trim().split(/\s+/))).toEqual(
      stored[1].predictions.map((p) => [String(p.index), String(p.label), String(p.top[0].class), p.top[0].probability.toFixed(3), p.top[0].class === p.label ? '✓' : '✗']),
    );
  });

  it.each([
    [['train', 'GRAPH', ...TINY, '--freeze', 'conv,nope', '--unfreeze', 'bn,conv'], /--freeze: graph "test" has no node "nope"\nnode "conv" is in both --freeze and --unfreeze/],
    [['train', '--resume', 'RUN', '--lr', '0.1', '--seed', '3'], /these cannot change: --lr, --seed/],
    [['train', '--resume', 'RUN'], /has already trained 2 epoch\(s\)/],
    [['train', '--resume', 'RUN', '--fine-tune', '--lr-mult', 'conv=0'], /these cannot change: --lr-mult, --fine-tune/],
    [['train'], /Say what to train/],
    [
      ['train', 'GRAPH', ...TINY, '--lr-mult', 'conv=0.1,nope=1,bn=x', '--label-smoothing', '1', '--clip-value', '0', '--loss-weighting', 'mean'],
      /--loss-weighting must be one of fixed, uncertainty; got "mean"\n--lr-mult: graph "test" has no node "nope" \(its nodes: in, conv, bn, relu, drop, gap, head\)\n--lr-mult: "bn=x" must look like NODE=MULTIPLIER[^\n]*\n--clip-value: Too small[^\n]*\(got 0\)\n--label-smoothing: Too big[^\n]*\(got 1\)/,
    ],
    [['train', 'GRAPH', ...TINY, '--early-stop', 'val/loss:0'], /--early-stop must look like val\/loss:5 [^\n]*got "val\/loss:0"/],
    [['train', 'GRAPH', ...TINY, '--early-stop', 'val/mIoU:3'], /--early-stop val\/mIoU is not one this run logs; it logs train\/epoch_loss, train\/top1, val\/loss, val\/top1, val\/top5/],
    [['train', 'GRAPH', ...TINY, '--plateau-patience', '2'], /--plateau-patience applies to --schedule reduce-on-plateau only \(the schedule is constant\)/],
    [['train', 'GRAPH', ...TINY, '--schedule', 'reduce-on-plateau', '--plateau-factor', '1.5'], /--plateau-factor: Too big[^\n]*\(got 1.5\)/],
    [['train', 'GRAPH', ...TINY, '--fine-tune-epochs', '1,2,3'], /--fine-tune-epochs applies to --fine-tune only/],
    [['train', 'GRAPH', ...TINY, '--fine-tune', '--fine-tune-epochs', '1,2'], /--fine-tune-epochs must be three whole numbers/],
    [['train', 'GRAPH', ...TINY, '--load-weights', 'no-such-run'], /--load-weights: "no-such-run" is neither a run of this store/],
    [['train', 'GRAPH', ...TINY, '--load-weights', 'missing/model.json'], /--load-weights: no file .*missing\/model.json/],
  ])('refuses %j with exit 1 and the reason', (args, message) => {
    const { code, stderr } = cli(...args.map((a) => (a === 'GRAPH' ? workspace.graphFile : a === 'RUN' ? runId : a)));
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it('--schedule reduce-on-plateau, --early-stop, --lr-mult, --label-smoothing, --clip-value: recorded, and the summary says why it stopped', () => {
    const { code, stdout, stderr } = cli(
      'train', workspace.graphFile, ...TINY, '--epochs', '8', '--lr', '0.01', '--schedule', 'reduce-on-plateau', '--plateau-metric', 'val/top1', '--plateau-patience', '0',
      '--plateau-factor', '0.5', '--early-stop', 'val/top1:2', '--lr-mult', 'conv=0.5', '--label-smoothing', '0.1', '--clip-value', '1', '--json',
    );
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    const summary = lines.at(-1)!;
    const store = openStore(workspace.storeFile);
    const run = store.getRun(summary.runId as string)!;
    expect(run.hyperParams).toMatchObject({
      schedule: 'reduce-on-plateau',
      plateau: { metric: 'val/top1', factor: 0.5, patience: 0 },
      earlyStopping: { metric: 'val/top1', mode: 'max', patience: 2, minDelta: 0 },
      lrMultipliers: { conv: 0.5 },
      labelSmoothing: 0.1,
      clipValue: 1,
    });
    // Each cut announced with its epoch is the rate of the next epoch's steps.
    const rates = store.getMetrics(run.id, ['train/lr'])[0].points;
    const cuts = lines.filter((l) => l.event === 'epoch' && l.learningRateReducedTo !== undefined);
    expect(cuts.length).toBeGreaterThan(0);
    for (const cut of cuts.filter((c) => (c.epoch as number) + 1 < (summary.epochs as number))) {
      expect(rates.find((p) => p.step === 2 * ((cut.epoch as number) + 1))!.value).toBe(cut.learningRateReducedTo);
    }
    // val/top1 of 4 images: whether and when it stops follows from the logged values, worked out here.
    const top1 = store.getMetrics(run.id, ['val/top1'])[0].points.map((p) => p.value);
    store.close();
    let best = -Infinity;
    let bestEpoch = 0;
    let stale = 0;
    let stoppedAfter: number | undefined;
    top1.forEach((v, epoch) => {
      if (stoppedAfter !== undefined) return;
      if (v > best) [best, bestEpoch, stale] = [v, epoch, 0];
      else if (++stale >= 2) stoppedAfter = epoch;
    });
    if (stoppedAfter !== undefined && stoppedAfter < 7) {
      expect(summary).toMatchObject({ status: 'finished', epochs: stoppedAfter + 1, stoppedEarly: { metric: 'val/top1', bestEpoch, best, reason: 'patience' } });
    } else {
      expect(summary.stoppedEarly).toBeUndefined();
    }
  });

  it('--fine-tune --load-weights RUN with a 12-class head: reports what loaded, runs the three phases in one run, keeps the report with it', () => {
    const { code, stdout, stderr } = cli('train', workspace.graphFile, ...TINY, '--classes', '12', '--fine-tune', '--fine-tune-epochs', '1,1,1', '--load-weights', `${runId}:last`, '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.filter((l) => l.event !== 'progress' && l.event !== 'checkpoint' && l.event !== 'samples').map((l) => l.event)).toEqual([
      'started', 'ready', 'weights', 'phase', 'epoch', 'phase', 'epoch', 'phase', 'epoch', 'summary',
    ]);
    const { event: _event, ...weights } = lines.find((l) => l.event === 'weights')!;
    expect(weights).toEqual({
      source: `run ${runId} (last checkpoint, epoch 2)`,
      total: 7,
      matched: 5,
      missing: [],
      mismatched: [
        { name: 'head/kernel', targetShape: [4, 12], sourceShape: [4, 10] },
        { name: 'head/bias', targetShape: [12], sourceShape: [10] },
      ],
      unused: [],
      ambiguous: [],
      pretrainedNodes: ['conv', 'bn'],
    });
    // The loaded nodes are the backbone; its top quarter (bn) joins in phase 2, everything in phase 3 at a tenth of the rate.
    expect(lines.filter((l) => l.event === 'phase').map((l) => [l.index, l.name, l.firstEpoch, l.endEpoch, l.trainableNodes, l.frozenNodes])).toEqual([
      [0, 'head', 0, 1, ['head'], ['conv', 'bn']],
      [1, 'top', 1, 2, ['bn', 'head'], ['conv']],
      [2, 'all', 2, 3, ['conv', 'bn', 'head'], []],
    ]);
    expect(lines.filter((l) => l.event === 'progress').map((l) => (l.phase as { name: string }).name)).toEqual(['head', 'head', 'top', 'top', 'all', 'all']);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ status: 'finished', epochs: 3 });
    const store = openStore(workspace.storeFile);
    const run = store.getRun(summary.runId as string)!;
    expect(run.hyperParams).toMatchObject({ epochs: 3, fineTune: { epochsPerPhase: [1, 1, 1] }, loadWeights: { kind: 'checkpoint', runId, which: 'last' } });
    const [report] = store.listArtefacts(run.id, 'weight_load_report');
    expect(JSON.parse(report.blob!.toString('utf8'))).toEqual(weights);
    expect(store.getMetrics(run.id, ['train/phase'])[0].points.map((p) => [p.step, p.value])).toEqual([[0, 0], [2, 1], [4, 2]]);
    expect(store.getMetrics(run.id, ['train/lr'])[0].points.map((p) => p.value)).toEqual([1e-3, 1e-3, 1e-3, 1e-3, 1e-4, 1e-4]);
    store.close();
  });

  it('--load-weights from a graph nothing matches fails the run with exit 1, saying so', () => {
    const other = path.join(workspace.dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ ...tinyNet, nodes: tinyNet.nodes.map((n) => ({ ...n, id: n.id === 'in' ? 'in' : `x_${n.id}` })), edges: tinyNet.edges.map((e) => ({ from: { ...e.from, node: e.from.node === 'in' ? 'in' : `x_${e.from.node}` }, to: { ...e.to, node: `x_${e.to.node}` } })) }));
    const { code, stdout } = cli('train', other, ...TINY, '--load-weights', runId, '--json');
    expect(code).toBe(1);
    expect(jsonLines(stdout).at(-1)).toMatchObject({ event: 'summary', status: 'failed', code: 'invalid_input', error: expect.stringMatching(/No weight of run \S+ \(best checkpoint, epoch \d\) fits this model by name and shape/) });
  });

  it('Ctrl-C cancels cleanly: the run is cancelled, with a checkpoint, and the summary says so', async () => {
    // Its own process group, as a terminal's foreground job is: the signal reaches the
    // command and its trainer alike, and only the command may act on it.
    const child = spawn(process.execPath, [BIN, 'train', workspace.graphFile, ...TINY, '--epochs', '500', '--json', '--store', workspace.storeFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const store = openStore(workspace.storeFile);
    const run = store.getRun(summary.runId as string)!;
    expect(run.status).toBe('cancelled');
    const steps = store.getMetrics(run.id, ['train/loss'])[0].points.length;
    expect(store.listCheckpoints(run.id).at(-1)!.step).toBe(steps);
    store.close();
  });
});
