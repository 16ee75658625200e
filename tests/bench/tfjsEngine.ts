/**
 * The TF.js side of `npm run bench`: a child process speaking the bench's line protocol
 * (./benchProtocol), one per case and backend, so that each case starts with a fresh wasm heap
 * (it never shrinks) and a failing kernel cannot take the bench down.
 * It trains as the product's trainer does: the compiled template, our Adam (createOptimizer) and
 * our classification loss.
 * Usage: node --import tsx tests/bench/tfjsEngine.ts [--backend wasm|cpu|...] [--threads 2]
 * Exits with process.exit(): threaded wasm never exits by itself.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../main/backend/selectBackend';
import { compileGraph } from '../../main/compile/compileGraph';
import { classificationLoss } from '../../main/train/losses';
import { createOptimizer, type TrainingOptimizer } from '../../main/train/optimizers';
import type { BenchGraphFile, EngineRequest, LoadReply, MeasureReply, Metric } from './benchProtocol';

// The protocol owns stdout: TF.js's banners and warnings go to stderr with the progress.
const protocol = process.stdout.write.bind(process.stdout);
const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;

const send = (message: object) => protocol(`${JSON.stringify(message)}\n`);
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

interface Session {
  model: tf.LayersModel;
  optimizer: TrainingOptimizer;
  classes: number;
  x: tf.Tensor4D;
  x1: tf.Tensor4D;
  y: tf.Tensor1D;
}

let session: Session | undefined;

const MB = 1024 * 1024;

/** The wasm heap (what caps at 4 GiB and never shrinks), tensor bytes and the process's RSS. */
function memoryMB(): Record<string, number> {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength;
  const round = (bytes: number) => Math.round(bytes / MB);
  return { tensors: round(tf.memory().numBytes), ...(heap ? { wasmHeap: round(heap) } : {}), rss: round(process.memoryUsage().rss) };
}

function unload(): void {
  if (!session) return;
  const { model, optimizer, x, x1, y } = session;
  tf.dispose([x, x1, y]);
  optimizer.dispose();
  model.dispose();
  session = undefined;
}

function load(file: string, batch: number): LoadReply {
  unload();
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchGraphFile;
  const { model } = compileGraph(spec.graph, tf);
  const [c, h, w] = spec.input;
  session = {
    model,
    optimizer: createOptimizer(tf, { optimizer: 'adam', learningRate: 1e-3, weightDecay: 0 }),
    classes: spec.classes,
    x: tf.randomUniform([batch, h, w, c]),
    x1: tf.randomUniform([1, h, w, c]),
    y: tf.tensor1d(Array.from({ length: batch }, (_, i) => i % spec.classes), 'int32'),
  };
  const params = model.trainableWeights.reduce((n, v) => n + v.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0);
  return { ok: true, params };
}

/** One step of the metric; waits for the result (dataSync) so the time is the real work. */
function stepOf(s: Session, metric: Metric): () => void {
  switch (metric) {
    case 'train':
      return () => {
        const loss = s.optimizer.step(() => classificationLoss(tf, s.model.apply(s.x, { training: true }) as tf.Tensor2D, s.y, s.classes));
        loss.dataSync();
        loss.dispose();
      };
    case 'infer':
    case 'latency': {
      const x = metric === 'infer' ? s.x : s.x1;
      return () => tf.tidy(() => (s.model.predict(x) as tf.Tensor).dataSync());
    }
  }
}

function measure(metric: Metric, warmup: number, steps: number): MeasureReply {
  if (!session) return { ok: false, error: 'no network loaded' };
  const step = stepOf(session, metric);
  for (let i = 0; i < warmup; i++) step();
  const ms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  return { ok: true, ms, memoryMB: memoryMB() };
}

function handle(request: EngineRequest): object {
  switch (request.op) {
    case 'load':
      return load(request.file, request.batch);
    case 'measure':
      return measure(request.metric, request.warmup, request.steps);
    case 'unload':
      unload();
      return { ok: true };
    case 'exit':
      return process.exit(0);
  }
}

const preferred = flag('backend');
try {
  const backend = await initBackend({ preferred: preferred === 'auto' ? undefined : (preferred as BackendName | undefined), threads: Number(flag('threads') ?? 2) });
  send({ ready: true, engine: 'tfjs', version: tf.version.tfjs, backend: backend.label, threads: backend.threads });
} catch (err) {
  send({ ready: false, reason: (err as Error).message });
  process.exit(0);
}

// Requests are answered one at a time, in order: each may run for minutes.
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  try {
    send(handle(JSON.parse(line) as EngineRequest));
  } catch (err) {
    send({ ok: false, error: (err as Error).message.split('\n')[0] });
  }
}
process.exit(0);
