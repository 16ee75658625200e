/**
 * Entry point of the trainer process. It owns one run from start to end: picks the backend,
 * builds the data and the model, trains, and writes status, every metric and the
 * checkpoints to the store itself, so a crash of the caller loses nothing and a crash of
 * this process loses at most the steps since the last checkpoint (their metrics are kept).
 * It talks to its parent only through the typed protocol.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/selectBackend';
import { compileGraph } from '../compile/compileGraph';
import { openStore, type ExperimentStore } from '../store/openStore';
import { decodeCheckpoint, type DecodedCheckpoint } from './checkpointFormat';
import { FromTrainerSchema, ToTrainerSchema, type FromTrainer, type TrainJob } from './protocol';
import { TrainerControl } from './trainerControl';
import { trainLoop, type LoopCheckpoint } from './trainLoop';
import { openTrainingData } from './trainingData';
import { initRandom } from './trainingRandom';

function send(message: FromTrainer): Promise<void> {
  const checked = FromTrainerSchema.parse(message);
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(checked, undefined, {}, () => resolve());
  });
}

const control = new TrainerControl({
  onPaused: (position) => void send({ type: 'paused', ...position }),
  onResumed: (position) => void send({ type: 'resumed', ...position }),
});

/** Writes a checkpoint through the store and tells the parent where it went. */
async function storeCheckpoint(store: ExperimentStore, runId: string, cp: LoopCheckpoint): Promise<void> {
  const { file } = store.saveCheckpoint({ runId, epoch: cp.epoch, step: cp.step, bytes: cp.bytes, metric: cp.metric, isBest: cp.isBest });
  const where = { epoch: cp.epoch, step: cp.step, path: file.absolutePath };
  await send({ type: 'checkpoint', kind: 'last', ...where });
  if (cp.isBest) await send({ type: 'checkpoint', kind: 'best', ...where });
}

function loadResumePoint(store: ExperimentStore, job: TrainJob): DecodedCheckpoint | undefined {
  if (!job.resumeFrom) return undefined;
  const checkpoint = store.getCheckpoint(job.resumeFrom.checkpointId);
  if (!checkpoint || checkpoint.runId !== job.runId) throw new Error(`Run ${job.runId} has no checkpoint ${job.resumeFrom.checkpointId}`);
  return decodeCheckpoint(tf, store.readCheckpoint(checkpoint));
}

async function run(job: TrainJob): Promise<void> {
  const store = openStore(job.storeFile);
  try {
    const backend = await initBackend({ preferred: job.backend, threads: job.threads });
    store.markRunning(job.runId, { pid: process.pid, backend: backend.label, threads: backend.threads });
    await send({ type: 'ready', backend: { name: backend.name, threads: backend.threads, label: backend.label } });

    // Initial weights are a pure function of the seed (a resume overwrites them anyway).
    const compiled = initRandom(job.hyperParams.seed).run(() => compileGraph(job.graph, tf));
    const data = openTrainingData(job.data, compiled.model.inputs[0].shape.slice(1) as number[]);
    const resumeFrom = loadResumePoint(store, job);
    if (resumeFrom) await send({ type: 'restored', epoch: resumeFrom.loop.epoch, step: resumeFrom.loop.step, checkpointId: job.resumeFrom!.checkpointId });
    const result = await trainLoop({
      tf,
      compiled,
      data,
      hyperParams: job.hyperParams,
      resumeFrom,
      checkpointMetric: job.checkpointMetric,
      onMetrics: (rows) => store.appendMetrics(job.runId, rows),
      onProgress: (progress) => void send({ type: 'progress', progress }),
      onEpoch: (epoch, metrics) => void send({ type: 'epoch', epoch, metrics }),
      onCheckpoint: (cp) => storeCheckpoint(store, job.runId, cp),
      isCancelled: () => control.isCancelled(),
      beforeStep: (position) => control.beforeStep(position),
    });
    const status = result.cancelled ? 'cancelled' : 'finished';
    store.finishRun(job.runId, { status, imagesPerSecond: result.imagesPerSecond, epochs: result.epochsCompleted });
    const summary = {
      runId: job.runId,
      backend: backend.label,
      threads: backend.threads,
      epochs: result.epochsCompleted,
      finalLoss: result.finalLoss,
      metrics: result.metrics,
      imagesPerSecond: result.imagesPerSecond,
      seconds: result.seconds,
      startStep: result.startStep,
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
  const message = parsed.data;
  if (message.type === 'cancel') return control.cancel();
  if (message.type === 'pause') return control.pause();
  if (message.type === 'resume') return control.resume();
  // The wasm backend's worker threads keep the process alive: exit explicitly.
  void run(message.job).finally(() => process.exit(0));
});

// Ctrl-C in a terminal signals the whole foreground process group. The parent turns it
// into a `cancel` message, so that the run stops after a checkpoint instead of dying here.
process.on('SIGINT', () => {});
// A parent that went away cannot be told anything more: stop cleanly, as a cancel.
process.on('disconnect', () => control.cancel());
