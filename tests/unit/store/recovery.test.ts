import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { isPidAlive, openStore } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';
import { waitForExit } from './spawnWriter';

const children: ChildProcess[] = [];
function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await waitForExit(c);
    }
  }
});

const newRun = { graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 };

describe('stale-run recovery', () => {
  it('marks a running run whose trainer was killed with SIGKILL as failed when the store is reopened, keeping its metrics', async () => {
    const file = tempStoreFile();
    const child = sleeper();
    const store = openStore(file);
    const id = store.createRun({ name: 'killed', ...newRun });
    store.markRunning(id, { pid: child.pid!, backend: 'cpu' });
    store.appendMetrics(id, [0, 1, 2].map((step) => ({ step, epoch: 0, name: 'train/loss', value: 1 / (step + 1) })));
    store.close();

    // Alive: opening leaves it alone.
    const again = openStore(file);
    expect(again.recoveredAtOpen).toEqual([]);
    expect(again.getRun(id)!.status).toBe('running');
    again.close();

    child.kill('SIGKILL');
    await waitForExit(child);
    expect(isPidAlive(child.pid!)).toBe(false);

    const reopened = openStore(file);
    const reason = `Trainer process ${child.pid} on ${os.hostname()} ended without finishing (found when the store was opened)`;
    expect(reopened.recoveredAtOpen).toEqual([{ id, reason }]);
    const run = reopened.getRun(id)!;
    expect(run).toMatchObject({ status: 'failed', error: reason });
    expect(run.finishedAt).not.toBeNull();
    expect(reopened.getMetrics(id, ['train/loss'])[0].points).toHaveLength(3);
    expect(run.metrics['train/loss']).toBeCloseTo(1 / 3);
    // Already failed: nothing more to recover.
    expect(reopened.recoverStaleRuns()).toEqual([]);
    reopened.close();
  });

  it('leaves live pids, runs of other hosts, runs without a pid and finished runs alone', async () => {
    const file = tempStoreFile();
    const store = openStore(file);
    const live = sleeper();
    const dead = sleeper();
    dead.kill('SIGKILL');
    await waitForExit(dead);

    const liveRun = store.createRun({ name: 'live', ...newRun });
    store.markRunning(liveRun, { pid: live.pid!, backend: 'cpu' });
    const selfRun = store.createRun({ name: 'self', ...newRun });
    store.markRunning(selfRun, { pid: process.pid, backend: 'cpu' });
    const otherHost = store.createRun({ name: 'other host', ...newRun });
    store.markRunning(otherHost, { pid: dead.pid!, backend: 'cpu' });
    store.db.prepare("UPDATE runs SET host = 'some-other-machine' WHERE id = ?").run(otherHost);
    const noPid = store.createRun({ name: 'queued without pid', ...newRun });
    const finished = store.createRun({ name: 'finished', ...newRun });
    store.markRunning(finished, { pid: dead.pid!, backend: 'cpu' });
    store.finishRun(finished, { status: 'finished' });
    const queuedDead = store.createRun({ name: 'queued, dead launcher', ...newRun, pid: dead.pid! });

    const recovered = store.recoverStaleRuns();
    expect(recovered.map((r) => r.id)).toEqual([queuedDead]);
    expect(recovered[0].reason).toBe(`Trainer process ${dead.pid} on ${os.hostname()} ended without finishing (found by a stale-run check)`);
    expect(store.getRun(liveRun)!.status).toBe('running');
    expect(store.getRun(selfRun)!.status).toBe('running');
    expect(store.getRun(otherHost)!.status).toBe('running');
    expect(store.getRun(noPid)!.status).toBe('queued');
    expect(store.getRun(finished)).toMatchObject({ status: 'finished', error: null });
    store.close();
  });

  it('can be skipped at open', async () => {
    const file = tempStoreFile();
    const dead = sleeper();
    dead.kill('SIGKILL');
    await waitForExit(dead);
    const store = openStore(file);
    const id = store.createRun({ name: 'r', ...newRun });
    store.markRunning(id, { pid: dead.pid!, backend: 'cpu' });
    store.close();
    const readOnly = openStore(file, { skipRecovery: true });
    expect(readOnly.getRun(id)!.status).toBe('running');
    readOnly.close();
  });
});
