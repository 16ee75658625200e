/**
 * Calibration of ./batchBudget's factor (not a test: run by hand, one configuration per process
 * so the wasm heap starts fresh): `npx tsx tests/unit/train/measureTrainingMemory.ts mobilenet_v2 96 16`.
 * Prints one JSON line: the peak of tracked tensor bytes during one Adam training step
 * (tf.profile), the wasm heap after it, and the estimate's parts from shape inference.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/backend/selectBackend';
import { withOverrides } from '../../../main/cli/graphOptions';
import { compileGraph } from '../../../main/compile/compileGraph';
import { loadTemplate } from '../../../main/templates/templateLibrary';
import { trainingMemoryParts } from '../../../main/train/batchBudget';
import { createOptimizer } from '../../../main/train/optimizers';
import { createTrainingObjective } from '../../../main/train/trainingObjective';
import { trainingStep } from '../../../main/train/trainStep';

const [template, size, batchText] = process.argv.slice(2);
const batchSize = Number(batchText);
const graph = withOverrides(loadTemplate(template), { input: `3x${size}x${size}`, classes: 10 });
const backend = await initBackend({ preferred: 'wasm', threads: 1 });
const compiled = compileGraph(graph, tf);
const h = { epochs: 1, batchSize, optimizer: 'adam' as const, learningRate: 0.001, schedule: 'constant' as const, seed: 1, weightDecay: 0 };
const objective = createTrainingObjective(tf, compiled, graph, {});
const optimizer = createOptimizer(tf, h);
const inputShape = compiled.model.inputs[0].shape.slice(1) as number[];
const pixels = inputShape.reduce((a, b) => a * b, 1);
const batch = { x: new Float32Array(batchSize * pixels).fill(0.5), labels: new Int32Array(batchSize).map((_, i) => i % 10), count: batchSize };
const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
const before = { bytes: tf.memory().numBytes, heap: heap() };
// Two steps: the first creates Adam's moments, the second is a steady-state step.
trainingStep(tf, compiled.model, objective, optimizer, batch, inputShape);
const profile = await tf.profile(() => void trainingStep(tf, compiled.model, objective, optimizer, batch, inputShape));
const parts = trainingMemoryParts(graph);
console.log(
  JSON.stringify({
    template,
    size: Number(size),
    batchSize,
    backend: backend.label,
    weightBytesBefore: before.bytes,
    heapBefore: before.heap,
    tensorBytesAfter: tf.memory().numBytes,
    peakBytes: profile.peakBytes,
    heapAfter: heap(),
    activationBytesPerSample: parts.activationBytesPerSample,
    weightBytes: parts.weightBytes,
  }),
);
process.exit(0);
