/**
 * `npm run bench`: throughput and latency figures as JSON on stdout (one object).
 * Training images/s of each trainable template on the selected backend (median over
 * steps after warm-up) and shape-inference time per template (median over repeats).
 * Usage: npm run bench [-- --threads 2 --steps 6]
 * Exits with process.exit(): threaded wasm never exits by itself.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { inferGraph } from '../../main/core';
import { initBackend } from '../../main/backend/selectBackend';
import { compileGraph } from '../../main/compile/compileGraph';
import { classificationLoss } from '../../main/train/losses';
import { listTemplates, loadTemplate } from '../../main/templates/templateLibrary';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const threads = arg('threads', 2);
const steps = arg('steps', 6);
const batch = arg('batch', 32);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function shapeInference() {
  return listTemplates().map(({ name }) => {
    const graph = loadTemplate(name);
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      inferGraph(graph);
      times.push(performance.now() - t0);
    }
    return { template: name, nodes: graph.nodes.length, medianMs: Number(median(times).toFixed(3)) };
  });
}

async function trainingThroughput(name: string) {
  const { model, heads } = compileGraph(loadTemplate(name), tf);
  const [, h, w, c] = model.inputs[0].shape as number[];
  const classes = heads[0].outShape[0];
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, h, w, c]);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32');
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    const loss = optimizer.minimize(() => classificationLoss(tf, model.apply(x, { training: true }) as tf.Tensor2D, y, classes), true)!;
    loss.dataSync();
    loss.dispose();
    if (i >= 2) times.push(performance.now() - t0);
  }
  const stepMs = median(times);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { template: name, input: [c, h, w], batch, medianStepMs: Number(stepMs.toFixed(1)), imagesPerSecond: Number(((batch * 1000) / stepMs).toFixed(2)) };
}

/** The store benchmark runs in its own process (its own timings, no TF.js threads beside it). */
function storeBenchmark(): unknown {
  const script = fileURLToPath(new URL('./store.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  if (run.status !== 0) return { error: run.stderr.trim().split('\n').at(-1) };
  return (JSON.parse(run.stdout) as { store: unknown }).store;
}

const store = storeBenchmark();
const backend = await initBackend({ threads });
const result = {
  backend: backend.label,
  shapeInference: shapeInference(),
  training: [await trainingThroughput('tiny_resnet')],
  store,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
