import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = 'bin/visionbench.mjs';

/** Where the e2e engine listens; passed from globalSetup to the tests through the environment. */
export interface E2eEngine {
  url: string;
  origin: string;
  token: string;
  store: string;
  runId: string;
}

/**
 * Trains one tiny run into a fresh store, so the Runs panel has a finished run with curves.
 * Sizes are the smallest that still give a few steps per epoch.
 */
export function seedStore(store: string): string {
  const result = spawnSync(
    process.execPath,
    [CLI, 'train', 'tiny_resnet', '--synthetic', '--epochs', '2', '--train-size', '32', '--val-size', '16', '--batch', '16', '--json', '--store', store],
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000 },
  );
  if (result.status !== 0) throw new Error(`Seeding the e2e store failed (exit ${result.status}):\n${result.stderr}\n${result.stdout}`);
  const lines = result.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1]) as { runId: string; status: string };
  if (summary.status !== 'finished') throw new Error(`The seed run ended as ${summary.status}`);
  return summary.runId;
}

/** The newest finished run of a store, read through the CLI. */
export function latestFinishedRun(store: string): string {
  const result = spawnSync(process.execPath, [CLI, 'runs', 'list', '--json', '--store', store], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Listing runs failed:\n${result.stderr}`);
  const runs = JSON.parse(result.stdout) as { id: string; status: string }[];
  const run = runs.find((r) => r.status === 'finished');
  if (!run) throw new Error(`${store} holds no finished run`);
  return run.id;
}

/** Starts `visionbench serve --port 0 --json` and waits for its address line. */
export function startServe(store: string): Promise<{ child: ChildProcess; url: string; port: number; token: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', '--store', store], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`visionbench serve did not announce its address:\n${stderr}`));
    }, 60_000);
    child.on('exit', (code) => reject(new Error(`visionbench serve exited with ${code}:\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      const { url, port, token } = JSON.parse(line) as { url: string; port: number; token: string };
      resolve({ child, url, port, token });
    });
  });
}

export function e2eEngine(): E2eEngine {
  const json = process.env.VISIONBENCH_E2E;
  if (!json) throw new Error('VISIONBENCH_E2E is not set: run the tests through playwright.config.ts (its globalSetup starts the engine)');
  return JSON.parse(json) as E2eEngine;
}
