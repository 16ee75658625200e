import type * as TF from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compile/compileGraph';
import { classificationBatches, shuffledOrder, type LabelledSplit } from './batches';
import type { DecodedCheckpoint, LoopState } from './checkpointFormat';
import { DEFAULT_CHECKPOINT_METRIC, improves, type CheckpointMetric } from './checkpointMetric';
import { captureCheckpoint, restoreCheckpoint } from './checkpointState';
import { learningRateAt } from './learningRate';
import { classificationLoss, topKCorrect } from './losses';
import { createOptimizer } from './optimizers';
import type { HyperParams, Progress } from './protocol';
import { epochRandom, TrainingRandom } from './trainingRandom';

export interface MetricRow {
  step: number;
  epoch: number;
  name: string;
  value: number;
}

/** A checkpoint the loop hands its host to store; the loop waits until the host is done. */
export interface LoopCheckpoint {
  bytes: Uint8Array;
  /** The epoch its last step belongs to (0-based, as metric rows number epochs). */
  epoch: number;
  /** Steps taken in the whole run. */
  step: number;
  /** `epoch`: written after an epoch's validation; `cancel`: the steps taken before a cancel. */
  reason: 'epoch' | 'cancel';
  /** The checkpoint metric's value at an epoch's end. */
  metric?: { name: string; value: number };
  /** Whether it is the best so far by the checkpoint metric. */
  isBest: boolean;
}

export interface TrainLoopOptions {
  tf: typeof TF;
  compiled: CompiledGraph;
  data: { train: LabelledSplit; val: LabelledSplit };
  hyperParams: HyperParams;
  onProgress?(progress: Progress): void;
  /** Called with every metric row as soon as it exists, so a crash loses nothing logged. */
  onMetrics?(rows: MetricRow[]): void;
  onEpoch?(epoch: number, metrics: Record<string, number>): void;
  isCancelled?(): boolean;
  /** Awaited before every step: a paused host returns a promise that settles when it resumes. */
  beforeStep?(position: { epoch: number; step: number }): Promise<void> | void;
  /** Continue from this checkpoint: the loop loads it into the model and optimizer, and disposes it. */
  resumeFrom?: DecodedCheckpoint;
  /** Decides which checkpoint is the best; default val/top1, higher is better. */
  checkpointMetric?: CheckpointMetric;
  /** Receives a checkpoint after every epoch and on cancel. Without it no checkpoint is captured. */
  onCheckpoint?(checkpoint: LoopCheckpoint): Promise<void> | void;
}

export interface TrainLoopResult {
  /** Epochs completed in the whole run, resumed ones included. */
  epochsCompleted: number;
  cancelled: boolean;
  /** Last value of every metric. */
  metrics: Record<string, number>;
  /** The last step's train/loss. */
  finalLoss: number | null;
  /** Throughput of this session's training steps (validation excluded). */
  imagesPerSecond: number;
  seconds: number;
  /** The step this session started from: 0, or where the resumed checkpoint left off. */
  startStep: number;
}

/** The metrics one epoch's end logs for a classifier with `classes` classes. */
export function epochMetricNames(classes: number): string[] {
  return ['train/epoch_loss', 'train/top1', 'val/loss', 'val/top1', ...(classes > 5 ? ['val/top5'] : [])];
}

/**
 * The environment-free training loop: the same code runs in the Node trainer process and, later,
 * in a GPU window. Classification heads only for now; other tasks plug in their losses here.
 *
 * It is exactly resumable: each step's samples come from shuffledOrder(seed, epoch), its
 * random draws from a generator seeded by (seed, epoch) whose state checkpoints carry, and
 * its learning rate from the step number; a checkpoint holds the weights, the optimizer's
 * state and that position, so continuing from one replays what an uninterrupted run does.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { tf, compiled, data, hyperParams: h } = options;
  const head = compiled.heads.find((x) => x.task === 'classification');
  if (!head) throw new Error('The graph has no ClassificationHead: nothing to train yet');
  const classes = head.outShape[0];
  const checkpointMetric = options.checkpointMetric ?? DEFAULT_CHECKPOINT_METRIC;
  const logged = epochMetricNames(classes);
  if (!logged.includes(checkpointMetric.name)) {
    throw new Error(`The checkpoint metric ${checkpointMetric.name} is not one this run logs; it logs ${logged.join(', ')} each epoch`);
  }
  const inputShape = compiled.model.inputs[0].shape.slice(1) as number[];
  const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
  const stepsPerEpoch = Math.ceil(data.train.count / h.batchSize);
  const totalSteps = stepsPerEpoch * h.epochs;
  const optimizer = createOptimizer(tf, h);
  const started = performance.now();
  let trainImages = 0;
  let trainSeconds = 0;
  let state: LoopState = {
    epoch: 0,
    stepInEpoch: 0,
    step: 0,
    epochsCompleted: 0,
    batchSize: h.batchSize,
    trainCount: data.train.count,
    randomState: epochRandom(h.seed, 0).state,
    epochTotals: { loss: 0, correct: 0, seen: 0 },
    best: { metric: checkpointMetric, value: null, epoch: null },
    metrics: {},
    hooks: {},
  };

  try {
    if (options.resumeFrom) state = await resume(options.resumeFrom);
    const startStep = state.step;
    let checkpointedStep = startStep;
    const record = (rows: MetricRow[]) => {
      for (const r of rows) state.metrics[r.name] = r.value;
      options.onMetrics?.(rows);
    };
    const checkpoint = async (reason: LoopCheckpoint['reason'], epoch: number, extra: Pick<LoopCheckpoint, 'metric' | 'isBest'>) => {
      if (!options.onCheckpoint) return;
      const bytes = await captureCheckpoint(tf, compiled.model, optimizer.tfOptimizer, state);
      await options.onCheckpoint({ bytes, epoch, step: state.step, reason, ...extra });
      checkpointedStep = state.step;
    };
    const finish = async (cancelled: boolean): Promise<TrainLoopResult> => {
      // A cancel keeps the steps taken since the last checkpoint.
      if (cancelled && state.step > checkpointedStep) await checkpoint('cancel', state.stepInEpoch > 0 ? state.epoch : state.epoch - 1, { isBest: false });
      return {
        epochsCompleted: state.epochsCompleted,
        cancelled,
        metrics: { ...state.metrics },
        finalLoss: state.metrics['train/loss'] ?? null,
        imagesPerSecond: trainSeconds > 0 ? trainImages / trainSeconds : 0,
        seconds: (performance.now() - started) / 1000,
        startStep,
      };
    };

    for (let epoch = state.epoch; epoch < h.epochs; epoch++) {
      const random = new TrainingRandom(state.randomState);
      const order = shuffledOrder(data.train.count, h.seed, epoch).slice(state.stepInEpoch * h.batchSize);
      for (const batch of classificationBatches(data.train, h.batchSize, order, pixelsPerImage)) {
        if (options.isCancelled?.()) return await finish(true);
        await options.beforeStep?.({ epoch, step: state.step });
        if (options.isCancelled?.()) return await finish(true);
        const lr = learningRateAt(h, state.step, totalSteps);
        optimizer.setLearningRate(lr);
        const t0 = performance.now();
        const { loss, correct } = random.run(() =>
          tf.tidy(() => {
            const x = tf.tensor4d(batch.x, [batch.count, ...inputShape] as [number, number, number, number]);
            const y = tf.tensor1d(batch.labels, 'int32');
            let logits: TF.Tensor2D | undefined;
            const lossTensor = optimizer.step(() => {
              // Kept past the gradient scope to count hits without a second forward pass.
              logits = tf.keep(compiled.model.apply(x, { training: true }) as TF.Tensor2D);
              return classificationLoss(tf, logits, y, classes);
            });
            const hits = topKCorrect(tf, logits!, y, 1);
            logits!.dispose();
            const value = lossTensor.dataSync()[0];
            // step() keeps its result out of every scope: dispose it here or leak a tensor a step.
            lossTensor.dispose();
            return { loss: value, correct: hits };
          }),
        );
        trainSeconds += (performance.now() - t0) / 1000;
        trainImages += batch.count;
        const step = state.step;
        state = {
          ...state,
          step: step + 1,
          stepInEpoch: state.stepInEpoch + 1,
          randomState: random.state,
          epochTotals: { loss: state.epochTotals.loss + loss * batch.count, correct: state.epochTotals.correct + correct, seen: state.epochTotals.seen + batch.count },
        };
        record([
          { step, epoch, name: 'train/loss', value: loss },
          { step, epoch, name: `train/loss/${head.node}`, value: loss },
          { step, epoch, name: 'train/lr', value: lr },
        ]);
        const imagesPerSecond = trainImages / trainSeconds;
        options.onProgress?.({
          step: state.step,
          epoch,
          epochs: h.epochs,
          stepInEpoch: state.stepInEpoch,
          stepsPerEpoch,
          loss,
          learningRate: lr,
          imagesPerSecond,
          etaSeconds: ((totalSteps - state.step) * h.batchSize) / imagesPerSecond,
        });
        await new Promise((resolve) => setImmediate(resolve)); // let cancel and pause messages arrive
      }

      const val = evaluate(options, pixelsPerImage, classes);
      const totals = state.epochTotals;
      const epochMetrics: Record<string, number> = {
        'train/epoch_loss': totals.loss / totals.seen,
        'train/top1': totals.correct / totals.seen,
        'val/loss': val.loss,
        'val/top1': val.top1,
        ...(classes > 5 ? { 'val/top5': val.top5 } : {}),
      };
      record(Object.entries(epochMetrics).map(([name, value]) => ({ step: state.step - 1, epoch, name, value })));
      const metricValue = epochMetrics[checkpointMetric.name];
      const isBest = improves(checkpointMetric, metricValue, state.best.value);
      state = {
        ...state,
        epoch: epoch + 1,
        stepInEpoch: 0,
        epochsCompleted: epoch + 1,
        randomState: epochRandom(h.seed, epoch + 1).state,
        epochTotals: { loss: 0, correct: 0, seen: 0 },
        best: isBest ? { metric: checkpointMetric, value: metricValue, epoch } : state.best,
      };
      options.onEpoch?.(epoch, epochMetrics);
      await checkpoint('epoch', epoch, { metric: { name: checkpointMetric.name, value: metricValue }, isBest });
    }
    return await finish(false);
  } finally {
    optimizer.dispose();
  }

  /** Loads a checkpoint and returns the loop state to continue from. */
  async function resume(checkpoint: DecodedCheckpoint): Promise<LoopState> {
    const saved = checkpoint.loop;
    if (saved.batchSize !== h.batchSize || saved.trainCount !== data.train.count) {
      for (const group of [checkpoint.model, checkpoint.optimizer, checkpoint.optimizerExtras]) for (const { tensor } of group) tensor.dispose();
      throw new Error(
        `The checkpoint was taken with batch size ${saved.batchSize} over ${saved.trainCount} training images; ` +
          `this run has ${h.batchSize} over ${data.train.count}, so its steps would see other samples`,
      );
    }
    await restoreCheckpoint(compiled.model, optimizer.tfOptimizer, checkpoint);
    // A resume judging by another metric starts its best afresh.
    const sameMetric = saved.best.metric.name === checkpointMetric.name && saved.best.metric.mode === checkpointMetric.mode;
    return { ...saved, best: sameMetric ? saved.best : { metric: checkpointMetric, value: null, epoch: null } };
  }
}

function evaluate(options: TrainLoopOptions, pixelsPerImage: number, classes: number): { loss: number; top1: number; top5: number } {
  const { tf, compiled, data, hyperParams } = options;
  const inputShape = compiled.model.inputs[0].shape.slice(1) as number[];
  const order = Array.from({ length: data.val.count }, (_, i) => i);
  let loss = 0;
  let top1 = 0;
  let top5 = 0;
  for (const batch of classificationBatches(data.val, hyperParams.batchSize, order, pixelsPerImage)) {
    tf.tidy(() => {
      const x = tf.tensor4d(batch.x, [batch.count, ...inputShape] as [number, number, number, number]);
      const y = tf.tensor1d(batch.labels, 'int32');
      const logits = compiled.model.apply(x, { training: false }) as TF.Tensor2D;
      loss += classificationLoss(tf, logits, y, classes).dataSync()[0] * batch.count;
      top1 += topKCorrect(tf, logits, y, 1);
      top5 += topKCorrect(tf, logits, y, 5);
    });
  }
  const n = data.val.count;
  return { loss: loss / n, top1: top1 / n, top5: top5 / n };
}
