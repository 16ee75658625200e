/**
 * Entry point of the trainer process. It owns one run from start to end: picks the backend,
 * builds the data and the model, trains, and writes status and every metric to the store
 * itself, so a crash of the caller loses nothing and a crash of this process loses at most
 * the step in flight. It talks to its parent only through the typed protocol.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/selectBackend';
import { compileGraph } from '../compile/compileGraph';
import { openStore } from '../store/openStore';
import { FromTrainerSchema, ToTrainerSchema, type FromTrainer, type TrainJob } from './protocol';
import { trainLoop } from './trainLoop';
import { openTrainingData } from './trainingData';

let cancelRequested = false;

function send(message: FromTrainer): Promise<void> {
  const checked = FromTrainerSchema.parse(message);
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(checked, undefined, {}, () => resolve());
  });
}

async function run(job: TrainJob): Promise<void> {
  const store = openStore(job.storeFile);
  try {
    const backend = await initBackend({ preferred: job.backend, threads: job.threads });
    store.markRunning(job.runId, { pid: process.pid, backend: backend.label });
    await send({ type: 'ready', backend: { name: backend.name, threads: backend.threads, label: backend.label } });

    const compiled = compileGraph(job.graph, tf);
    const data = openTrainingData(job.data, compiled.model.inputs[0].shape.slice(1) as number[]);
    const result = await trainLoop({
      tf,
      compiled,
      data,
      hyperParams: job.hyperParams,
      onMetrics: (rows) => store.appendMetrics(job.runId, rows),
      onProgress: (progress) => void send({ type: 'progress', progress }),
      onEpoch: (epoch, metrics) => void send({ type: 'epoch', epoch, metrics }),
      isCancelled: () => cancelRequested,
    });
    const status = result.cancelled ? 'cancelled' : 'finished';
    store.finishRun(job.runId, { status, imagesPerSecond: result.imagesPerSecond, epochs: result.epochsCompleted });
    const summary = {
      runId: job.runId,
      backend: backend.label,
      epochs: result.epochsCompleted,
      metrics: result.metrics,
      imagesPerSecond: result.imagesPerSecond,
      seconds: result.seconds,
    };
    await send({ type: status, summary });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    store.finishRun(job.runId, { status: 'failed', error: message });
    await send({ type: 'failed', error: message });
  } finally {
    store.close();
  }
}

process.on('message', (raw) => {
  const parsed = ToTrainerSchema.safeParse(raw);
  if (!parsed.success) {
    void send({ type: 'failed', error: `Trainer received an invalid message: ${parsed.error.message}` });
    return;
  }
  if (parsed.data.type === 'cancel') {
    cancelRequested = true;
    return;
  }
  // The wasm backend's worker threads keep the process alive: exit explicitly.
  void run(parsed.data.job).finally(() => process.exit(0));
});
