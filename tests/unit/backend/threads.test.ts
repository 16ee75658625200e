/**
 * Multi-threaded wasm in Node, checked in child processes: a threaded
 * process never exits by itself, so it must not run inside the test worker.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const probe = path.join(import.meta.dirname, 'threadsProbe.ts');

function runProbe(threads: number) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', probe, String(threads)], {
    encoding: 'utf8',
    timeout: 40_000,
  });
  expect(res.status, res.stderr).toBe(0);
  const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
  expect(line, res.stdout + res.stderr).toBeDefined();
  return JSON.parse(line!) as { selected: { threads: number; label: string }; dx: number[]; df: number[] };
}

describe('wasm threads in Node', () => {
  it('runs 2 threads, gives the same gradients as 1 thread, and exits after shutdown', () => {
    const two = runProbe(2);
    const one = runProbe(1);
    expect(two.selected.threads).toBe(2);
    expect(two.selected.label).toBe('wasm ×2 threads');
    expect(one.selected.threads).toBe(1);
    expect(two.dx.length).toBe(one.dx.length);
    for (let i = 0; i < one.dx.length; i++) expect(Math.abs(two.dx[i] - one.dx[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(one.dx[i])));
    for (let i = 0; i < one.df.length; i++) expect(Math.abs(two.df[i] - one.df[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(one.df[i])));
  });
});
