import type * as TF from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compile/compileGraph';
import { inferGraph, type GraphIR } from '../core';
import { classificationBatches, shuffledOrder, type LabelledSplit } from './batches';
import type { DecodedCheckpoint, LoopState } from './checkpointFormat';
import { disposeCheckpoint } from './checkpointFormat';
import { DEFAULT_CHECKPOINT_METRIC, improves, type CheckpointMetric } from './checkpointMetric';
import { captureCheckpoint, restoreCheckpoint } from './checkpointState';
import { createEpochHooks, parseLoopHooks, plateauOptions, type LoopHooks, type StoppedEarly } from './epochHooks';
import type { SamplePredictions } from '../store/samplePredictions';
import { runFrozenBatchNormInInferenceMode } from './frozenBatchNorm';
import { learningRateAt } from './learningRate';
import { createOptimizer, type TrainingOptimizer } from './optimizers';
import type { HyperParams, Progress } from './protocol';
import { expectEpochMetric } from './trainedHeads';
import { predictSamples } from './samplePredictions';
import { createTrainingObjective, type TrainingObjective } from './trainingObjective';
import { applyPhaseToModel, compiledTrainability, phaseIndexAt, phaseMultipliers, planTrainingPhases, type TrainingPhase } from './trainingPhases';
import { epochRandom, TrainingRandom } from './trainingRandom';
import { trainingStep } from './trainStep';
import { validate } from './validation';

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

/** A phase begins, or (`resumed`) goes on after a resume. */
export interface PhaseEvent {
  index: number;
  count: number;
  name: string;
  firstEpoch: number;
  endEpoch: number;
  learningRate: number;
  trainableNodes: string[];
  frozenNodes: string[];
  resumed: boolean;
}

export interface TrainLoopOptions {
  tf: typeof TF;
  compiled: CompiledGraph;
  /** The IR `compiled` was built from: its heads' settings, node ids and the fine-tune plan come from it. */
  graph: GraphIR;
  data: { train: LabelledSplit; val: LabelledSplit };
  hyperParams: HyperParams;
  /** Nodes whose weights were loaded before training (the fine-tune plan's backbone); a resume takes them from its checkpoint. */
  pretrainedNodes?: readonly string[];
  onProgress?(progress: Progress): void;
  /** Called with every metric row as soon as it exists, so a crash loses nothing logged. */
  onMetrics?(rows: MetricRow[]): void;
  onEpoch?(epoch: number, metrics: Record<string, number>, notes: { learningRateReducedTo?: number }): void;
  /**
   * After each epoch's validation: the primary head's top classes for the first validation
   * images (./samplePredictions). Without it none are computed.
   */
  onSamples?(samples: SamplePredictions): Promise<void> | void;
  /** A fine-tune run's phase begins; not called for a plain run's single phase. */
  onPhase?(phase: PhaseEvent): void;
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
  /** Set when early stopping ended the run before its last epoch. */
  stoppedEarly?: StoppedEarly;
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

/** Every monitored metric must be one the epoch logs: refused before any step is taken. */
function checkMonitoredMetrics(h: HyperParams, checkpointMetric: CheckpointMetric, logged: readonly string[]): void {
  expectEpochMetric('The checkpoint metric', checkpointMetric.name, logged);
  if (h.earlyStopping) expectEpochMetric('The early-stopping metric', h.earlyStopping.metric, logged);
  if (h.schedule === 'reduce-on-plateau') expectEpochMetric('The reduce-on-plateau metric', plateauOptions(h).metric, logged);
}

/**
 * The environment-free training loop: the same code runs in the Node trainer process and, later,
 * in a GPU window. Classification heads only for now; other tasks plug their losses into the
 * objective (./trainingObjective).
 *
 * A run is a sequence of phases (./trainingPhases), each with its own optimiser: one for a plain
 * run, three for a fine-tune. Between epochs, reduce-on-plateau may cut the rate and early
 * stopping may end the run (./epochHooks).
 *
 * It is exactly resumable: each step's samples come from shuffledOrder(seed, epoch), its
 * random draws from a generator seeded by (seed, epoch) whose state checkpoints carry, and
 * its learning rate from the step number, the phase and the plateau state; a checkpoint holds
 * the weights, every parameter group's optimizer state, the loss combiner's learned weights,
 * the plateau and early-stopping state and the phase, so continuing from one replays what an
 * uninterrupted run does.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { tf, compiled, graph, hyperParams: h } = options;
  const checkpointMetric = options.checkpointMetric ?? DEFAULT_CHECKPOINT_METRIC;
  let objective: TrainingObjective | undefined;
  let optimizer: TrainingOptimizer | undefined;
  try {
    objective = createTrainingObjective(tf, compiled, graph, h);
    checkMonitoredMetrics(h, checkpointMetric, objective.epochMetricNames);
    const savedHooks = options.resumeFrom ? parseLoopHooks(options.resumeFrom.loop.hooks) : undefined;
    const pretrainedNodes = savedHooks ? (savedHooks.phase?.pretrainedNodes ?? null) : (options.pretrainedNodes ?? null);
    const phases = planTrainingPhases(graph, h, pretrainedNodes);
    return await runPhases({ ...options, objective, phases, pretrainedNodes, savedHooks, checkpointMetric, setOptimizer: (o) => (optimizer = o) });
  } catch (error) {
    // A refused resume still owns the decoded tensors (disposing twice is harmless).
    if (options.resumeFrom) disposeCheckpoint(options.resumeFrom);
    throw error;
  } finally {
    optimizer?.dispose();
    objective?.dispose();
  }
}

interface PhasedOptions extends Omit<TrainLoopOptions, 'pretrainedNodes'> {
  objective: TrainingObjective;
  phases: TrainingPhase[];
  pretrainedNodes: readonly string[] | null;
  savedHooks: LoopHooks | undefined;
  checkpointMetric: CheckpointMetric;
  /** Tells the caller which optimiser to dispose. */
  setOptimizer(optimizer: TrainingOptimizer | undefined): void;
}

async function runPhases(options: PhasedOptions): Promise<TrainLoopResult> {
  const { tf, compiled, graph, data, hyperParams: h, objective, phases, checkpointMetric } = options;
  const model = compiled.model;
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
  const stepsPerEpoch = Math.ceil(data.train.count / h.batchSize);
  const totalSteps = stepsPerEpoch * h.epochs;
  const fineTune = h.fineTune !== undefined;
  const trainable = compiledTrainability(model);
  runFrozenBatchNormInInferenceMode(model);
  const hooks = createEpochHooks(h, phases[0].learningRate);
  const started = performance.now();
  let trainImages = 0;
  let trainSeconds = 0;
  let optimizer!: TrainingOptimizer;
  let phaseIndex = -1;
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

  const currentHooks = (): LoopHooks => ({
    ...hooks.state(),
    ...(objective.combiner ? { lossCombiner: objective.combiner.state() } : {}),
    phase: { index: phaseIndex, pretrainedNodes: options.pretrainedNodes ? [...options.pretrainedNodes] : null },
  });
  const weighted = inferGraph(graph).nodes.filter((n) => n.params > 0).map((n) => n.id);
  const phaseEvent = (phase: TrainingPhase, resumed: boolean): PhaseEvent => {
    const trains = (id: string) => (phase.lrMultipliers[id] ?? 1) > 0 && !graph.nodes.find((g) => g.id === id)?.frozen;
    return {
      index: phase.index,
      count: phases.length,
      name: phase.name,
      firstEpoch: phase.firstEpoch,
      endEpoch: phase.endEpoch,
      learningRate: phase.learningRate,
      trainableNodes: weighted.filter(trains),
      frozenNodes: weighted.filter((id) => !trains(id)),
      resumed,
    };
  };
  /** A new optimiser for the phase, its layers (un)frozen, its plateau and patience started afresh. */
  const enterPhase = (index: number) => {
    optimizer?.dispose();
    options.setOptimizer(undefined);
    phaseIndex = index;
    applyPhaseToModel(model, graph, phases[index], trainable);
    optimizer = createOptimizer(tf, h, { lrMultipliers: phaseMultipliers(graph, phases[index]) });
    options.setOptimizer(optimizer);
    hooks.startPhase(phases[index].learningRate);
  };
  const record = (rows: MetricRow[]) => {
    for (const r of rows) state.metrics[r.name] = r.value;
    options.onMetrics?.(rows);
  };

  if (options.resumeFrom) {
    state = await resume(options.resumeFrom);
    if (fineTune) options.onPhase?.(phaseEvent(phases[phaseIndex], true));
  }
  const startStep = state.step;
  let checkpointedStep = startStep;
  const checkpoint = async (reason: LoopCheckpoint['reason'], epoch: number, extra: Pick<LoopCheckpoint, 'metric' | 'isBest'>) => {
    if (!options.onCheckpoint) return;
    const bytes = await captureCheckpoint(tf, model, optimizer, { ...state, hooks: currentHooks() });
    await options.onCheckpoint({ bytes, epoch, step: state.step, reason, ...extra });
    checkpointedStep = state.step;
  };
  const finish = async (cancelled: boolean, stoppedEarly?: StoppedEarly): Promise<TrainLoopResult> => {
    // A cancel keeps the steps taken since the last checkpoint.
    if (cancelled && state.step > checkpointedStep) await checkpoint('cancel', state.stepInEpoch > 0 ? state.epoch : state.epoch - 1, { isBest: false });
    return {
      epochsCompleted: state.epochsCompleted,
      cancelled,
      ...(stoppedEarly ? { stoppedEarly } : {}),
      metrics: { ...state.metrics },
      finalLoss: state.metrics['train/loss'] ?? null,
      imagesPerSecond: trainSeconds > 0 ? trainImages / trainSeconds : 0,
      seconds: (performance.now() - started) / 1000,
      startStep,
    };
  };

  for (let epoch = state.epoch; epoch < h.epochs; epoch++) {
    const index = phaseIndexAt(phases, epoch);
    if (index !== phaseIndex) {
      enterPhase(index);
      if (fineTune) {
        record([{ step: state.step, epoch, name: 'train/phase', value: index }]);
        options.onPhase?.(phaseEvent(phases[index], false));
      }
    }
    const phase = phases[phaseIndex];
    const phaseFirstStep = phase.firstEpoch * stepsPerEpoch;
    const phaseSteps = (phase.endEpoch - phase.firstEpoch) * stepsPerEpoch;
    const random = new TrainingRandom(state.randomState);
    const order = shuffledOrder(data.train.count, h.seed, epoch).slice(state.stepInEpoch * h.batchSize);
    for (const batch of classificationBatches(data.train, h.batchSize, order, pixelsPerImage)) {
      if (options.isCancelled?.()) return await finish(true);
      await options.beforeStep?.({ epoch, step: state.step });
      if (options.isCancelled?.()) return await finish(true);
      const lr = learningRateAt({ learningRate: phase.learningRate, schedule: h.schedule }, state.step - phaseFirstStep, phaseSteps) * hooks.learningRateScale();
      optimizer.setLearningRate(lr);
      const t0 = performance.now();
      const result = random.run(() => trainingStep(tf, model, objective, optimizer, batch, inputShape));
      trainSeconds += (performance.now() - t0) / 1000;
      trainImages += batch.count;
      const step = state.step;
      const totals = state.epochTotals;
      state = {
        ...state,
        step: step + 1,
        stepInEpoch: state.stepInEpoch + 1,
        randomState: random.state,
        epochTotals: { loss: totals.loss + result.loss * batch.count, correct: totals.correct + result.correct, seen: totals.seen + batch.count },
      };
      const weights = objective.combiner?.weighting === 'uncertainty' ? objective.combiner.weights() : {};
      record([
        { step, epoch, name: 'train/loss', value: result.loss },
        ...Object.entries(result.headLosses).map(([node, value]) => ({ step, epoch, name: `train/loss/${node}`, value })),
        ...Object.entries(weights).map(([node, value]) => ({ step, epoch, name: `train/loss_weight/${node}`, value })),
        { step, epoch, name: 'train/lr', value: lr },
      ]);
      const imagesPerSecond = trainImages / trainSeconds;
      options.onProgress?.({
        step: state.step,
        epoch,
        epochs: h.epochs,
        stepInEpoch: state.stepInEpoch,
        stepsPerEpoch,
        loss: result.loss,
        learningRate: lr,
        imagesPerSecond,
        etaSeconds: ((totalSteps - state.step) * h.batchSize) / imagesPerSecond,
        ...(fineTune ? { phase: { index: phaseIndex, name: phase.name, count: phases.length } } : {}),
      });
      await new Promise((resolve) => setImmediate(resolve)); // let cancel and pause messages arrive
    }

    const val = validate(tf, model, objective, data.val, h.batchSize, inputShape);
    const totals = state.epochTotals;
    const several = objective.heads.length > 1;
    const epochMetrics: Record<string, number> = {
      'train/epoch_loss': totals.loss / totals.seen,
      'train/top1': totals.correct / totals.seen,
      'val/loss': val.loss,
      ...(several ? Object.fromEntries(Object.entries(val.headLosses).map(([node, value]) => [`val/loss/${node}`, value])) : {}),
      'val/top1': val.top1,
      ...(objective.primary.classes > 5 ? { 'val/top5': val.top5 } : {}),
    };
    record(Object.entries(epochMetrics).map(([name, value]) => ({ step: state.step - 1, epoch, name, value })));
    const metricValue = epochMetrics[checkpointMetric.name];
    const isBest = improves(checkpointMetric, metricValue, state.best.value);
    const decision = hooks.afterEpoch(epoch, epochMetrics);
    state = {
      ...state,
      epoch: epoch + 1,
      stepInEpoch: 0,
      epochsCompleted: epoch + 1,
      randomState: epochRandom(h.seed, epoch + 1).state,
      epochTotals: { loss: 0, correct: 0, seen: 0 },
      best: isBest ? { metric: checkpointMetric, value: metricValue, epoch } : state.best,
    };
    options.onEpoch?.(epoch, epochMetrics, decision.learningRateReducedTo === null ? {} : { learningRateReducedTo: decision.learningRateReducedTo });
    if (options.onSamples) {
      const predictions = predictSamples(tf, model, objective.primary, data.val, inputShape);
      await options.onSamples({ epoch, step: state.step - 1, head: objective.primary.node, predictions });
    }
    await checkpoint('epoch', epoch, { metric: { name: checkpointMetric.name, value: metricValue }, isBest });
    if (decision.stop && epoch + 1 < h.epochs) return await finish(false, decision.stop);
  }
  return await finish(false);

  /** Loads a checkpoint and returns the loop state to continue from. */
  async function resume(checkpoint: DecodedCheckpoint): Promise<LoopState> {
    const saved = checkpoint.loop;
    if (saved.batchSize !== h.batchSize || saved.trainCount !== data.train.count) {
      throw new Error(
        `The checkpoint was taken with batch size ${saved.batchSize} over ${saved.trainCount} training images; ` +
          `this run has ${h.batchSize} over ${data.train.count}, so its steps would see other samples`,
      );
    }
    const savedHooks = options.savedHooks ?? {};
    // The optimiser the checkpoint holds is its phase's; at a phase boundary the loop replaces it, as the uninterrupted run did.
    const savedPhase = savedHooks.phase?.index ?? 0;
    if (savedPhase >= phases.length) throw new Error(`The checkpoint is from phase ${savedPhase + 1}; this run has ${phases.length} phase(s)`);
    enterPhase(savedPhase);
    await restoreCheckpoint(model, optimizer, checkpoint);
    hooks.restore(savedHooks);
    if (objective.combiner) {
      if (!savedHooks.lossCombiner) throw new Error('The checkpoint has no learned loss weights, which this run combines its heads with');
      objective.combiner.restore(savedHooks.lossCombiner);
    }
    // A resume judging by another metric starts its best afresh.
    const sameMetric = saved.best.metric.name === checkpointMetric.name && saved.best.metric.mode === checkpointMetric.mode;
    return { ...saved, best: sameMetric ? saved.best : { metric: checkpointMetric, value: null, epoch: null } };
  }
}
