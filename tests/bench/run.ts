/**
 * `npm run bench`: throughput per template, input size and backend, next to a PyTorch-CPU
 * reference running the same architecture on the same cores, as one JSON object on stdout
 * (progress on stderr). Per case: training images/s (batch 32, Adam), inference images/s
 * (batch 32) and batch-1 latency, each the median over timed steps after warm-up, with our
 * speed ÷ PyTorch's per metric; then the issue's targets as {target, ratio, met}; shape
 * inference time per template; the store benchmark.
 *
 * Engines run in child processes and take turns (./interleave), so load from anything else on
 * the machine hits both sides of every ratio. PyTorch is optional: without it the bench says
 * "PyTorch reference skipped: <reason>" and prints our figures alone.
 * Usage: npm run bench -- --help
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, USAGE, type BenchOptions } from './benchOptions';
import type { EngineHello } from './benchProtocol';
import { EngineProcess } from './engineProcess';
import { runCase, type CaseResult, type Reference } from './runCase';
import { shapeInferenceTimes } from './shapeInferenceBench';
import { targetStatus, type RatioSource } from './targets';

const REFERENCE_SCRIPT = fileURLToPath(new URL('./torchReference.py', import.meta.url));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** The store benchmark runs in its own process (its own timings, no engine beside it). */
function storeBenchmark(quick: boolean): unknown {
  const script = fileURLToPath(new URL('./store.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...(quick ? ['--rows', '50000'] : [])], { encoding: 'utf8' });
  if (run.status !== 0) return { error: run.stderr.trim().split('\n').at(-1) };
  return (JSON.parse(run.stdout) as { store: unknown }).store;
}

type ReferenceInfo = ({ available: true; python: string; ompWaitPolicy: string } & Omit<Extract<EngineHello, { ready: true }>, 'ready'>) | { available: false; skipped: string };

/**
 * Starts the PyTorch engine. Its OpenMP threads sleep while they wait (OMP_WAIT_POLICY=PASSIVE,
 * unless the environment says otherwise), as wasm's pthreadpool workers do: with GNU OpenMP's
 * default spinning, PyTorch on 2 threads ran vit_tiny steps 2.5-4x slower than with PASSIVE on a
 * machine whose load was 5-7 on 2 cores (and slower than on 1 thread), which would have measured
 * OpenMP's barrier behaviour under contention rather than PyTorch's kernels.
 */
async function startReference(options: BenchOptions): Promise<{ reference: Reference; info: ReferenceInfo }> {
  const skip = (reason: string) => {
    const skipped = `PyTorch reference skipped: ${reason}`;
    log(skipped);
    return { reference: { engine: null, skipped }, info: { available: false as const, skipped } };
  };
  if (!options.python) return skip('--no-reference');
  if (options.python.includes('/') && !fs.existsSync(options.python)) return skip(`${options.python} not found`);
  const ompWaitPolicy = process.env.OMP_WAIT_POLICY ?? 'PASSIVE';
  log(`starting the PyTorch reference (${options.python}, OMP_WAIT_POLICY=${ompWaitPolicy})`);
  const env = { ...process.env, OMP_WAIT_POLICY: ompWaitPolicy };
  const started = await EngineProcess.start('pytorch', options.python, [REFERENCE_SCRIPT, '--threads', String(options.threads)], { timeoutMs: 120_000, env });
  if (!started.ok) return skip(started.reason);
  const { ready: _ready, ...hello } = started.hello;
  return { reference: { engine: started.engine }, info: { available: true, python: options.python, ...hello, ompWaitPolicy } };
}

function ratioSources(results: CaseResult[]): RatioSource[] {
  return results.flatMap((r) => {
    if (!r.backends?.length) return [{ template: r.template, input: r.input, backend: '', ratio: {}, skipped: r.skipped ?? 'not run' }];
    return r.backends.map((b) => ('skipped' in b ? { template: r.template, input: r.input, backend: b.backend, ratio: {}, skipped: b.skipped } : { template: r.template, input: r.input, backend: b.backend, ratio: b.vsPyTorch ?? {} }));
  });
}

/** One line per case and backend on stderr, for a person watching: img/s and the ratio per metric. */
function logSummary(results: CaseResult[]): void {
  for (const r of results) {
    for (const b of r.backends ?? []) {
      if ('skipped' in b) continue;
      const cell = (metric: 'train' | 'infer' | 'latency') => {
        const ours = b[metric];
        const theirs = r.pytorch && !('skipped' in r.pytorch) ? r.pytorch[metric] : undefined;
        if ('error' in ours) return `${metric} failed`;
        const value = metric === 'latency' ? `${ours.medianMs} ms` : `${ours.imagesPerSecond} img/s`;
        const ratio = `×${b.vsPyTorch?.[metric] ?? '?'}, fastest steps ×${b.vsPyTorch?.bestCase[metric] ?? '?'}`;
        const ref = theirs && !('error' in theirs) ? ` (PyTorch ${metric === 'latency' ? `${theirs.medianMs} ms` : `${theirs.imagesPerSecond} img/s`}; ${ratio})` : '';
        return `${metric} ${value}${ref}`;
      };
      log(`${r.template} ${r.input} ${b.backend}: ${cell('train')}; ${cell('infer')}; ${cell('latency')}`);
    }
  }
}

async function main(): Promise<void> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const loadBefore = os.loadavg();
  const started = new Date();
  log('shape inference per template');
  const shapeInference = shapeInferenceTimes();
  log(options.store ? 'store benchmark' : 'store benchmark skipped (--no-store)');
  const store = options.store ? storeBenchmark(options.quick) : { skipped: '--no-store' };

  const { reference, info } = await startReference(options);
  const results: CaseResult[] = [];
  try {
    for (const c of options.cases) {
      const result = await runCase(c, options, reference, log);
      if (result.skipped) log(`${c.template} ${result.input} skipped: ${result.skipped}`);
      results.push(result);
    }
  } finally {
    await reference.engine?.close();
  }

  logSummary(results);
  const output = {
    date: started.toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverage: { before: loadBefore.map((x) => Number(x.toFixed(2))), after: os.loadavg().map((x) => Number(x.toFixed(2))) },
    },
    protocol: {
      batch: options.batch,
      threads: options.threads,
      optimizer: 'adam (lr 1e-3)',
      ...options.plan,
      ratio: "our speed ÷ PyTorch's per round (latency: PyTorch's ms ÷ ours), median over rounds",
    },
    reference: info,
    throughput: results,
    targets: targetStatus(ratioSources(results)),
    shapeInference,
    store,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

await main();
process.exit(0);
