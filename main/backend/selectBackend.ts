/**
 * Picks the fastest TF.js backend that actually loads in this Node process:
 * tfjs-node-gpu (CUDA) → tfjs-node (libtensorflow) → wasm (XNNPACK, threads)
 * → cpu (plain JS). The native packages are optionalDependencies whose
 * install downloads libtensorflow; where that failed, importing them throws
 * and we record why, so the UI, CLI and run records can say what was chosen
 * and what was skipped.
 *
 * When wasm is chosen, our training kernels (conv gradients etc.) are
 * registered: without them no conv net trains on wasm.
 *
 * IMPORTANT: with wasm and threads > 1, pthread workers keep the process
 * alive forever; callers must end it with `process.exit()`.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm/registerKernels';
import { installWorkerShim, withReportedCores } from './wasmThreads';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendAttempt { name: string; ok: boolean; reason?: string }
export interface SelectedBackend { name: string; threads: number; label: string; attempts: BackendAttempt[] }

export interface InitBackendOptions {
  /** Use exactly this backend; throws if it cannot load. */
  preferred?: BackendName;
  /** wasm threads; defaults to the number of CPU cores. */
  threads?: number;
}

/** Preference order: CUDA, native CPU, WebAssembly with threads, plain JS. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

/** Import an optional package without letting bundlers resolve it statically. */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

async function tryNative(which: 'tensorflow-gpu' | 'tensorflow'): Promise<number> {
  await importOptional(which === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
  // Both packages register their backend as 'tensorflow'.
  await activate('tensorflow');
  return os.cpus().length;
}

/** Start wasm with `threads` threads; returns the count it really runs. */
async function tryWasm(threads: number): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const started = tf.engine().registry.wasm != null;
  if (!started) {
    if (threads > 1) {
      installWorkerShim();
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    }
    wasm.setThreadsCount(threads);
  }
  // The C++ side caps its pool at cores / 2: report enough cores while the
  // backend initialises.
  await withReportedCores(2 * threads, () => activate('wasm'));
  registerWasmTrainingKernels();
  return wasm.getThreadsCount();
}

async function tryOne(name: BackendName, threads: number): Promise<number> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return tryNative(name);
    case 'wasm':
      return tryWasm(threads);
    case 'cpu':
      await activate('cpu');
      return 1;
  }
}

function labelFor(name: BackendName, threads: number): string {
  switch (name) {
    case 'tensorflow-gpu': return 'tensorflow-gpu (CUDA)';
    case 'tensorflow': return 'tensorflow (libtensorflow CPU)';
    case 'wasm': return `wasm ×${threads} thread${threads === 1 ? '' : 's'}`;
    case 'cpu': return 'cpu (plain JS, slow)';
  }
}

/**
 * Select and initialise a backend. Tries each candidate in order (or only
 * `preferred`) and returns the first that loads, with every attempt's outcome.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<SelectedBackend> {
  const threads = Math.max(1, Math.floor(options.threads ?? os.cpus().length));
  const candidates = options.preferred ? [options.preferred] : BACKEND_ORDER;
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    try {
      const actual = await tryOne(name, threads);
      attempts.push({ name, ok: true });
      return { name, threads: actual, label: labelFor(name, actual), attempts };
    } catch (err) {
      attempts.push({ name, ok: false, reason: message(err) });
    }
  }
  const tried = attempts.map((a) => `${a.name}: ${a.reason}`).join('; ');
  throw new Error(`no TF.js backend could be initialised (${tried})`);
}
