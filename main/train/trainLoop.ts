import type * as TF from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compile/compileGraph';
import { classificationBatches, shuffledOrder, type LabelledSplit } from './batches';
import { learningRateAt } from './learningRate';
import { classificationLoss, topKCorrect } from './losses';
import { createOptimizer } from './optimizers';
import type { HyperParams, Progress } from './protocol';

export interface MetricRow {
  step: number;
  epoch: number;
  name: string;
  value: number;
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
}

export interface TrainLoopResult {
  epochsCompleted: number;
  cancelled: boolean;
  /** Last value of every metric. */
  metrics: Record<string, number>;
  imagesPerSecond: number;
  seconds: number;
}

/**
 * The environment-free training loop: the same code runs in the Node trainer process and, later,
 * in a GPU window. Classification heads only for now; other tasks plug in their losses here.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { tf, compiled, data, hyperParams: h } = options;
  const head = compiled.heads.find((x) => x.task === 'classification');
  if (!head) throw new Error('The graph has no ClassificationHead: nothing to train yet');
  const classes = head.outShape[0];
  const inputShape = compiled.model.inputs[0].shape.slice(1) as number[];
  const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
  const stepsPerEpoch = Math.ceil(data.train.count / h.batchSize);
  const totalSteps = stepsPerEpoch * h.epochs;
  const optimizer = createOptimizer(tf, h);
  const metrics: Record<string, number> = {};
  const record = (rows: MetricRow[]) => {
    for (const r of rows) metrics[r.name] = r.value;
    options.onMetrics?.(rows);
  };

  let step = 0;
  let trainImages = 0;
  let trainSeconds = 0;
  let epochsCompleted = 0;
  const started = performance.now();
  for (let epoch = 0; epoch < h.epochs; epoch++) {
    let epochLoss = 0;
    let epochCorrect = 0;
    let epochSeen = 0;
    let stepInEpoch = 0;
    for (const batch of classificationBatches(data.train, h.batchSize, shuffledOrder(data.train.count, h.seed, epoch), pixelsPerImage)) {
      if (options.isCancelled?.()) return finish(true);
      const lr = learningRateAt(h, step, totalSteps);
      optimizer.setLearningRate(lr);
      const t0 = performance.now();
      const { loss, correct } = tf.tidy(() => {
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
        return { loss: lossTensor.dataSync()[0], correct: hits };
      });
      const seconds = (performance.now() - t0) / 1000;
      trainSeconds += seconds;
      trainImages += batch.count;
      epochLoss += loss * batch.count;
      epochCorrect += correct;
      epochSeen += batch.count;
      record([
        { step, epoch, name: 'train/loss', value: loss },
        { step, epoch, name: `train/loss/${head.node}`, value: loss },
        { step, epoch, name: 'train/lr', value: lr },
      ]);
      const imagesPerSecond = trainImages / trainSeconds;
      stepInEpoch++;
      step++;
      options.onProgress?.({
        step,
        epoch,
        epochs: h.epochs,
        stepInEpoch,
        stepsPerEpoch,
        loss,
        learningRate: lr,
        imagesPerSecond,
        etaSeconds: ((totalSteps - step) * h.batchSize) / imagesPerSecond,
      });
      await new Promise((resolve) => setImmediate(resolve)); // let cancel messages arrive
    }
    const val = evaluate(options, pixelsPerImage, classes);
    const epochRows: MetricRow[] = [
      { step: step - 1, epoch, name: 'train/epoch_loss', value: epochLoss / epochSeen },
      { step: step - 1, epoch, name: 'train/top1', value: epochCorrect / epochSeen },
      { step: step - 1, epoch, name: 'val/loss', value: val.loss },
      { step: step - 1, epoch, name: 'val/top1', value: val.top1 },
      ...(classes > 5 ? [{ step: step - 1, epoch, name: 'val/top5', value: val.top5 }] : []),
    ];
    record(epochRows);
    epochsCompleted = epoch + 1;
    options.onEpoch?.(epoch, Object.fromEntries(epochRows.map((r) => [r.name, r.value])));
  }
  return finish(false);

  function finish(cancelled: boolean): TrainLoopResult {
    optimizer.dispose();
    return {
      epochsCompleted,
      cancelled,
      metrics,
      imagesPerSecond: trainSeconds > 0 ? trainImages / trainSeconds : 0,
      seconds: (performance.now() - started) / 1000,
    };
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
