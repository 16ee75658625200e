/**
 * Entry point of the trainer process. It owns one job from start to end: picks the backend,
 * builds the data and the model, and either trains a run — writing status, every metric and
 * the checkpoints to the store itself, so a crash of the caller loses nothing and a crash of
 * this process loses at most the steps since the last checkpoint (their metrics are kept) — or
 * runs a learning-rate range test, which stores nothing. It talks to its parent only through
 * the typed protocol.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/selectBackend';
import { compileGraph, type CompiledGraph } from '../compile/compileGraph';
import { openStore, type ExperimentStore } from '../store/openStore';
import { decodeCheckpoint, type DecodedCheckpoint } from './checkpointFormat';
import { loadInitialWeights } from './initialWeights';
import { FromTrainerSchema, ToTrainerSchema, type FromTrainer, type LrFindJob, type TrainJob, type WeightLoadSummary } from './protocol';
import { runRangeTest } from './rangeTestRun';
import { TrainerControl } from './trainerControl';
import { TrainingInputError } from './trainingErrors';
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

/** The backend, then the model (initial weights a pure function of the seed) and the data. */
async function prepare(job: Pick<TrainJob, 'backend' | 'threads' | 'graph' | 'hyperParams' | 'data'>) {
  const backend = await initBackend({ preferred: job.backend, threads: job.threads });
  const compiled: CompiledGraph = initRandom(job.hyperParams.seed).run(() => compileGraph(job.graph, tf));
  const data = openTrainingData(job.data, compiled.model.inputs[0].shape.slice(1) as number[]);
  return { backend, compiled, data };
}

/** The weight-loading report, kept with the run as an artefact (JSON) beside its checkpoints. */
function storeWeightReport(store: ExperimentStore, runId: string, report: WeightLoadSummary): void {
  store.addArtefact({
    runId,
    kind: 'weight_load_report',
    name: 'initial-weights',
    blob: new TextEncoder().encode(JSON.stringify(report)),
    meta: { source: report.source, matched: report.matched, total: report.total, missing: report.missing.length, mismatched: report.mismatched.length, unused: report.unused.length },
  });
}

const failure = (error: unknown): Extract<FromTrainer, { type: 'failed' }> => ({
  type: 'failed',
  error: error instanceof Error ? error.message : String(error),
  ...(error instanceof TrainingInputError ? { code: 'invalid_input' as const } : {}),
});

async function train(job: TrainJob): Promise<void> {
  const store = openStore(job.storeFile);
  try {
    const { backend, compiled, data } = await prepare(job);
    store.markRunning(job.runId, { pid: process.pid, backend: backend.label, threads: backend.threads });
    await send({ type: 'ready', backend: { name: backend.name, threads: backend.threads, label: backend.label } });

    const resumeFrom = loadResumePoint(store, job);
    let pretrainedNodes: string[] | undefined;
    if (resumeFrom) {
      await send({ type: 'restored', epoch: resumeFrom.loop.epoch, step: resumeFrom.loop.step, checkpointId: job.resumeFrom!.checkpointId });
    } else if (job.loadWeights) {
      const report = loadInitialWeights(tf, compiled.model, job.graph, job.loadWeights);
      storeWeightReport(store, job.runId, report);
      await send({ type: 'weights', report });
      pretrainedNodes = report.pretrainedNodes;
    }
    const result = await trainLoop({
      tf,
      compiled,
      graph: job.graph,
      data,
      hyperParams: job.hyperParams,
      pretrainedNodes,
      resumeFrom,
      checkpointMetric: job.checkpointMetric,
      onMetrics: (rows) => store.appendMetrics(job.runId, rows),
      onProgress: (progress) => void send({ type: 'progress', progress }),
      onEpoch: (epoch, metrics, notes) => void send({ type: 'epoch', epoch, metrics, ...notes }),
      onPhase: (phase) => void send({ type: 'phase', ...phase }),
      onSamples: (samples) => {
        store.addSamplePredictions(job.runId, samples);
        return send({ type: 'samples', ...samples });
      },
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
      ...(result.stoppedEarly ? { stoppedEarly: result.stoppedEarly } : {}),
    };
    await send({ type: status, summary });
  } catch (error) {
    const failed = failure(error);
    store.finishRun(job.runId, { status: 'failed', error: failed.error });
    await send(failed);
  } finally {
    store.close();
  }
}

async function findLr(job: LrFindJob): Promise<void> {
  try {
    const started = performance.now();
    const { backend, compiled, data } = await prepare(job);
    await send({ type: 'ready', backend: { name: backend.name, threads: backend.threads, label: backend.label } });
    let pretrainedNodes: string[] | undefined;
    if (job.loadWeights) {
      const report = loadInitialWeights(tf, compiled.model, job.graph, job.loadWeights);
      await send({ type: 'weights', report });
      pretrainedNodes = report.pretrainedNodes;
    }
    const steps = job.rangeTest.steps;
    const result = await runRangeTest({
      tf,
      compiled,
      graph: job.graph,
      data,
      hyperParams: job.hyperParams,
      rangeTest: job.rangeTest,
      pretrainedNodes,
      onPoint: (point, step) => void send({ type: 'lrPoint', step, steps, point }),
      isCancelled: () => control.isCancelled(),
    });
    await send({ type: 'lrFound', result: { ...result, backend: backend.label, threads: backend.threads, seconds: (performance.now() - started) / 1000 } });
  } catch (error) {
    await send(failure(error));
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
  const job = message.type === 'start' ? train(message.job) : findLr(message.job);
  // The wasm backend's worker threads keep the process alive: exit explicitly.
  void job.finally(() => process.exit(0));
});

// Ctrl-C in a terminal signals the whole foreground process group. The parent turns it
// into a `cancel` message, so that the run stops after a checkpoint instead of dying here.
process.on('SIGINT', () => {});
// A parent that went away cannot be told anything more: stop cleanly, as a cancel.
process.on('disconnect', () => control.cancel());
