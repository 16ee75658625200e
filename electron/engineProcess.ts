import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseServeLine, type EngineEndpoint } from './engineEndpoint';

export interface EngineProcess {
  endpoint: EngineEndpoint;
  child: ChildProcess;
  stop(): void;
}

/**
 * Starts the engine as a plain Node process (`visionbench serve --port 0 --json`). The engine
 * owns SQLite, sharp and the trainer, whose native builds target Node's ABI; running it inside
 * Electron would need a second build of each. A crash there cannot take the window down.
 */
export function startEngine(options: { node: string; cli: string; cwd: string; store?: string; timeoutMs?: number }): Promise<EngineProcess> {
  const args = [options.cli, 'serve', '--port', '0', '--json'];
  if (options.store) args.push('--store', options.store);
  const child = spawn(options.node, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[engine] ${chunk}`));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('The engine did not announce its address within the time limit')), options.timeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout! });
    let settled = false;
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      reject(error);
    }
    lines.on('line', (line) => {
      const endpoint = settled ? null : parseServeLine(line);
      if (!endpoint) return;
      settled = true;
      clearTimeout(timer);
      resolve({ endpoint, child, stop: () => child.kill() });
    });
    child.on('error', (e) => fail(new Error(`Could not start the engine with ${options.node}: ${e.message}`)));
    child.on('exit', (code) => fail(new Error(`The engine exited with code ${code} before it was ready`)));
  });
}
