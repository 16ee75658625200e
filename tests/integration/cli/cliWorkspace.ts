import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const BIN = path.resolve('bin/visionbench.mjs');

/** A command's `--json` output: one object per line. */
export const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

export interface CliWorkspace {
  dir: string;
  storeFile: string;
  /** The graph written for this file's tests. */
  graphFile: string;
  /** Runs `visionbench ARGS --store <this workspace's store>` and waits for it. */
  cli(...args: string[]): { code: number | null; stdout: string; stderr: string };
}

/**
 * A temporary folder, made before a test file's tests and removed after them, holding a store
 * and `graph` written as `graphName`; its paths are filled in by the time a test runs.
 */
export function cliWorkspace(prefix: string, graph: unknown, graphName = 'tiny.json'): CliWorkspace {
  const workspace: CliWorkspace = {
    dir: '',
    storeFile: '',
    graphFile: '',
    cli(...args) {
      const result = spawnSync(process.execPath, [BIN, ...args, '--store', workspace.storeFile], { encoding: 'utf8' });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
  beforeAll(() => {
    workspace.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    workspace.storeFile = path.join(workspace.dir, 'store.sqlite');
    workspace.graphFile = path.join(workspace.dir, graphName);
    fs.writeFileSync(workspace.graphFile, JSON.stringify(graph));
  });
  afterAll(() => fs.rmSync(workspace.dir, { recursive: true, force: true }));
  return workspace;
}
