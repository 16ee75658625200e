import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WRITER = fileURLToPath(new URL('./fixtures/metricWriter.ts', import.meta.url));

/** Starts the writer fixture under tsx in its own Node process. */
export function spawnWriter(file: string, runId: string, perBatch: number, batches: number, name?: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WRITER, file, runId, String(perBatch), String(batches), ...(name ? [name] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Resolves with the highest committed batch number once the writer has printed at least `n`. */
export function waitForBatches(child: ChildProcess, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const m of buffer.matchAll(/batch (\d+)\n/g)) seen = Math.max(seen, Number(m[1]));
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (seen >= n) {
        child.stdout!.off('data', onData);
        resolve(seen);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => (seen < n ? reject(new Error(`writer exited with ${code} after ${seen} batches`)) : undefined));
  });
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}
