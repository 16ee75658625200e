/**
 * Multi-threaded TF.js wasm in Node.
 *
 * tfjs-backend-wasm 4.22 ships a threaded-SIMD build but never uses it in Node:
 *  1. its `WASM_HAS_MULTITHREAD_SUPPORT` flag returns false whenever IS_NODE;
 *  2. Emscripten creates each pthread worker from a `blob:` URL (the worker
 *     source wrapped in a Blob), which `worker_threads.Worker` rejects, and
 *     hands the worker the main script as a Blob too, which the worker can't
 *     `importScripts` in Node;
 *  3. the C++ side sizes its pool from `os.cpus().length / 2`, so a 2-core
 *     machine gets one thread.
 *
 * The shim below fixes each one without patching tfjs files:
 *  - a `Worker` subclass that ignores the blob URL, evaluates the published
 *    worker source (`wasm-out/…threaded-simd.worker.js`) and rewrites the
 *    `load` message so the worker loads `wasm-out/…threaded-simd.js` by path;
 *  - installed through a getter on `globalThis.Worker`, because Emscripten's
 *    Node branch assigns `worker_threads.Worker` to that global at start-up
 *    (a setter that ignores the write keeps ours in place);
 *  - the flag forced through `tf.env().set`;
 *  - `os.cpus()` reporting at least 2n cores only while `setBackend` runs.
 *
 * A process with live pthread workers never exits by itself: callers that
 * enable threads must call `process.exit()` when done (test runners hang
 * otherwise).
 */
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** Folder with the Emscripten outputs of tfjs-backend-wasm. */
function wasmOutDir(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'wasm-out');
}

let shimInstalled = false;

/** Install the `globalThis.Worker` shim (idempotent). */
export function installWorkerShim(): void {
  if (shimInstalled) return;
  const dir = wasmOutDir();
  // The published template literal turned the source's `\n` escapes into raw
  // newlines inside string literals; re-escape them (tfjs does the same).
  const workerSource = (
    require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')).wasmWorkerContents as string
  ).replace(/\n/g, '\\n');
  const mainScriptPath = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');

  /** A pthread worker that Node can actually start. */
  class EmscriptenPthreadWorker extends NodeWorker {
    constructor(_blobUrl: string | URL, _options?: WorkerOptions) {
      super(workerSource, { eval: true });
    }
    override postMessage(message: unknown, transfer?: readonly unknown[]): void {
      const msg = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (msg && msg.cmd === 'load' && typeof msg.urlOrBlob !== 'string') {
        message = { ...msg, urlOrBlob: mainScriptPath };
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      super.postMessage(message, transfer as any);
    }
  }

  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => EmscriptenPthreadWorker,
    // Emscripten writes worker_threads.Worker here on start-up; keep ours.
    set: () => {},
  });
  shimInstalled = true;
}

/**
 * Run `fn` while `os.cpus()` reports at least `minCores` entries, so the
 * wasm side's "cores / 2" thread cap allows the count we asked for.
 */
export async function withReportedCores<T>(minCores: number, fn: () => Promise<T>): Promise<T> {
  const real = os.cpus;
  const cpus = real.call(os);
  if (cpus.length >= minCores) return fn();
  const padded = Array.from({ length: minCores }, (_, i) => cpus[i % cpus.length]);
  os.cpus = () => padded;
  try {
    return await fn();
  } finally {
    os.cpus = real;
  }
}

/** Emscripten's pthread bookkeeping, as exposed on the wasm module. */
interface PThreadRegistry {
  unusedWorkers: Array<{ terminate(): unknown }>;
  runningWorkers: Array<{ terminate(): unknown }>;
}

/**
 * Terminate the wasm backend's pthread workers so the process can exit on
 * its own. The wasm backend is unusable afterwards: call this only when the
 * work is done (or simply call `process.exit()`). Returns how many workers
 * were stopped.
 */
export function shutdownWasmThreads(wasmBackend: unknown): number {
  const pthreads = (wasmBackend as { wasm?: { PThread?: PThreadRegistry } } | undefined)?.wasm?.PThread;
  if (!pthreads) return 0;
  const workers = [...pthreads.unusedWorkers, ...pthreads.runningWorkers];
  for (const worker of workers) worker.terminate();
  return workers.length;
}
