import { z } from 'zod';
import { BackendInfoSchema, GraphIRSchema, OptimizerNameSchema, ScheduleNameSchema } from '../core';
import { SamplePredictionsSchema } from '../store/samplePredictions';
import { CheckpointMetricSchema } from './checkpointMetric';
import { EarlyStoppingOptionsSchema } from './earlyStopping';
import { LossWeightingSchema } from './losses';
import { LrRangeTestOptionsSchema, type RangeTestPoint } from './lrFinder';

/**
 * The typed message protocol between the engine and a trainer process. Both directions are
 * validated with these schemas; nothing else crosses the process boundary.
 */

const MetricNameSchema = z.string().regex(/^(train|val)\/\S+$/, 'a metric name such as val/top1 or val/loss');

/** Options of the `reduce-on-plateau` schedule (PyTorch's ReduceLROnPlateau defaults). */
export const PlateauSettingsSchema = z.strictObject({
  /** The epoch metric it watches. */
  metric: MetricNameSchema.default('val/loss'),
  /** Whether lower or higher is better; by default from the metric's name (losses fall, the rest rise). */
  mode: z.enum(['min', 'max']).optional(),
  factor: z.number().gt(0).lt(1).default(0.1),
  patience: z.number().int().min(0).default(10),
});
export type PlateauSettings = z.infer<typeof PlateauSettingsSchema>;

/** The three-phase fine-tune recipe (./fineTunePlan): epochs of the head, top and all phases; `epochs` is their sum. */
export const FineTuneSettingsSchema = z.strictObject({
  epochsPerPhase: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]),
});

export const HyperParamsSchema = z.strictObject({
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  optimizer: OptimizerNameSchema,
  /** L2 (or, for AdamW, decoupled) weight decay on weights of rank ≥ 2. */
  weightDecay: z.number().min(0).default(0),
  /** Clip gradients to this global L2 norm. */
  clipNorm: z.number().positive().optional(),
  /** Clip every gradient element to [−clipValue, clipValue] (after clipNorm). */
  clipValue: z.number().positive().optional(),
  learningRate: z.number().positive(),
  schedule: ScheduleNameSchema,
  seed: z.number().int(),
  /** Label smoothing of the classification heads' training loss; overrides each head's own. */
  labelSmoothing: z.number().min(0).lt(1).optional(),
  /** Learning-rate multipliers by graph node id (0 freezes the node); unlisted nodes train at 1. */
  lrMultipliers: z.record(z.string().min(1), z.number().min(0).max(1e6)).optional(),
  /** Used by the `reduce-on-plateau` schedule; its defaults otherwise. */
  plateau: PlateauSettingsSchema.optional(),
  /** Stop once the metric has not improved for `patience` epochs. */
  earlyStopping: EarlyStoppingOptionsSchema.extend({ metric: MetricNameSchema }).optional(),
  /** How several heads' losses add up (default fixed: the heads' own loss weights). */
  lossWeighting: LossWeightingSchema.optional(),
  /** Train in the three fine-tune phases instead of one. */
  fineTune: FineTuneSettingsSchema.optional(),
});
export type HyperParams = z.infer<typeof HyperParamsSchema>;

export const DataSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('synthetic'),
    trainCount: z.number().int().positive(),
    valCount: z.number().int().positive(),
    seed: z.number().int(),
    /** Debugging checklist's "overfit a tiny subset": train and validate on these first N images only. */
    overfit: z.number().int().positive().optional(),
  }),
]);
export type DataSpec = z.infer<typeof DataSpecSchema>;

/**
 * Initial weights, resolved by the engine before the trainer starts: a checkpoint file of
 * another run in the store (sha256-checked), or a TF.js layers model (model.json with its
 * weight files beside it). Weights are matched to the model by name and shape; the rest is
 * reported, not fatal.
 */
export const LoadWeightsSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('checkpoint'),
    runId: z.string(),
    checkpointId: z.number().int().positive(),
    /** Which of the run's checkpoints: its best, or its latest. */
    which: z.enum(['best', 'last']),
    epoch: z.number().int(),
    path: z.string(),
    sha256: z.string(),
  }),
  z.strictObject({ kind: z.literal('layers-model'), path: z.string() }),
]);
export type LoadWeights = z.infer<typeof LoadWeightsSchema>;

/** The backends a job may ask for, best first (main/backend/selectBackend's order). */
export const BackendNameSchema = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);

export const TrainJobSchema = z.strictObject({
  runId: z.string(),
  storeFile: z.string(),
  graph: GraphIRSchema,
  hyperParams: HyperParamsSchema,
  data: DataSpecSchema,
  backend: BackendNameSchema.optional(),
  threads: z.number().int().positive().optional(),
  /** Which checkpoint is the best; default val/top1, higher is better. */
  checkpointMetric: CheckpointMetricSchema.optional(),
  /** Continue the run from this checkpoint (a row id of the store's checkpoints table). */
  resumeFrom: z.strictObject({ checkpointId: z.number().int().positive() }).optional(),
  /** Start from these weights (a new run only: a resume's weights are its checkpoint's). */
  loadWeights: LoadWeightsSchema.optional(),
});
export type TrainJob = z.infer<typeof TrainJobSchema>;

/** A learning-rate range test: the trainer's model, data and optimiser, no run in the store. */
export const LrFindJobSchema = z.strictObject({
  graph: GraphIRSchema,
  hyperParams: HyperParamsSchema,
  data: DataSpecSchema,
  backend: BackendNameSchema.optional(),
  threads: z.number().int().positive().optional(),
  rangeTest: LrRangeTestOptionsSchema,
  loadWeights: LoadWeightsSchema.optional(),
});
export type LrFindJob = z.infer<typeof LrFindJobSchema>;

/**
 * What a run's record keeps of its settings (`hyperParams` in the store): enough for a
 * resume to rebuild the same job.
 */
export const RecordedSettingsSchema = HyperParamsSchema.extend({
  data: DataSpecSchema,
  checkpointMetric: CheckpointMetricSchema.optional(),
  loadWeights: LoadWeightsSchema.optional(),
});
export type RecordedSettings = z.infer<typeof RecordedSettingsSchema>;

/** `pause` holds the trainer before its next step; `resume` lets it go on; `cancel` stops it after a checkpoint. */
export const ToTrainerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), job: TrainJobSchema }),
  z.strictObject({ type: z.literal('findLr'), job: LrFindJobSchema }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
]);
export type ToTrainer = z.infer<typeof ToTrainerSchema>;

export const ProgressSchema = z.strictObject({
  step: z.number().int(),
  epoch: z.number().int(),
  epochs: z.number().int(),
  stepInEpoch: z.number().int(),
  stepsPerEpoch: z.number().int(),
  loss: z.number(),
  learningRate: z.number(),
  imagesPerSecond: z.number(),
  etaSeconds: z.number(),
  /** A fine-tune run's phase (0-based) of `phases`. */
  phase: z.strictObject({ index: z.number().int(), name: z.string(), count: z.number().int() }).optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const TrainSummarySchema = z.strictObject({
  runId: z.string(),
  backend: z.string(),
  threads: z.number().int(),
  /** Epochs completed in the whole run, resumed ones included. */
  epochs: z.number().int(),
  /** The last step's train/loss. */
  finalLoss: z.number().nullable(),
  metrics: z.record(z.string(), z.number()),
  imagesPerSecond: z.number(),
  seconds: z.number(),
  /** Where this session started: 0, or the step of the checkpoint it resumed from. */
  startStep: z.number().int(),
  /** Set when early stopping ended the run: the metric, its best value and the epoch (0-based) that reached it. */
  stoppedEarly: z
    .strictObject({ metric: z.string(), bestEpoch: z.number().int().nullable(), best: z.number().nullable(), reason: z.enum(['patience', 'non_finite']) })
    .optional(),
});
export type TrainSummary = z.infer<typeof TrainSummarySchema>;

export const WeightLoadSummarySchema = z.strictObject({
  /** The source in words: `run 20260101-…-ab12 (best checkpoint, epoch 3)` or a path. */
  source: z.string(),
  /** Model weights (BatchNorm statistics included) and how many took a source's value. */
  total: z.number().int(),
  matched: z.number().int(),
  missing: z.array(z.string()),
  mismatched: z.array(z.strictObject({ name: z.string(), targetShape: z.array(z.number()), sourceShape: z.array(z.number()) })),
  unused: z.array(z.string()),
  ambiguous: z.array(z.string()),
  /** Nodes whose weights all loaded: the fine-tune plan's backbone. */
  pretrainedNodes: z.array(z.string()),
});
export type WeightLoadSummary = z.infer<typeof WeightLoadSummarySchema>;

const RangeTestPointSchema = z.strictObject({ learningRate: z.number(), loss: z.number(), smoothedLoss: z.number() }) satisfies z.ZodType<RangeTestPoint>;

export const LrFindResultSchema = z.strictObject({
  points: z.array(RangeTestPointSchema),
  /** Why it stopped: all steps taken, the loss blew up (4× its best), a non-finite loss, or a cancel. */
  reason: z.enum(['completed', 'diverged', 'non_finite', 'cancelled']),
  suggestion: z.strictObject({ steepest: z.number(), minimumOverTen: z.number() }).nullable(),
  backend: z.string(),
  threads: z.number().int(),
  seconds: z.number(),
});
export type LrFindResult = z.infer<typeof LrFindResultSchema>;

export const FromTrainerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), backend: BackendInfoSchema }),
  z.strictObject({ type: z.literal('progress'), progress: ProgressSchema }),
  z.strictObject({
    type: z.literal('epoch'),
    epoch: z.number().int(),
    metrics: z.record(z.string(), z.number()),
    /** Reduce-on-plateau cut the rate to this for the next epochs. */
    learningRateReducedTo: z.number().optional(),
  }),
  /** Initial weights were loaded: what matched and what did not (by name and shape). */
  z.strictObject({ type: z.literal('weights'), report: WeightLoadSummarySchema }),
  /** A phase of a fine-tune run begins (or, `resumed`, goes on after a resume). */
  z.strictObject({
    type: z.literal('phase'),
    index: z.number().int(),
    count: z.number().int(),
    name: z.string(),
    firstEpoch: z.number().int(),
    /** Exclusive. */
    endEpoch: z.number().int(),
    learningRate: z.number(),
    trainableNodes: z.array(z.string()),
    frozenNodes: z.array(z.string()),
    resumed: z.boolean(),
  }),
  /** After an epoch's validation: the primary head's top classes for the same first validation images every epoch. */
  SamplePredictionsSchema.extend({ type: z.literal('samples') }),
  z.strictObject({ type: z.literal('lrPoint'), step: z.number().int(), steps: z.number().int(), point: RangeTestPointSchema }),
  z.strictObject({ type: z.literal('lrFound'), result: LrFindResultSchema }),
  /** A checkpoint was written; one that is both the latest and the best comes as two messages, one per kind. */
  z.strictObject({
    type: z.literal('checkpoint'),
    kind: z.enum(['last', 'best']),
    epoch: z.number().int(),
    step: z.number().int(),
    /** Absolute path of the file. */
    path: z.string(),
  }),
  /** Sent when the trainer has actually stopped before a step (not when asked), and when it goes on again. */
  z.strictObject({ type: z.literal('paused'), epoch: z.number().int(), step: z.number().int() }),
  z.strictObject({ type: z.literal('resumed'), epoch: z.number().int(), step: z.number().int() }),
  /** A resumed run loaded its checkpoint and continues from this step. */
  z.strictObject({ type: z.literal('restored'), epoch: z.number().int(), step: z.number().int(), checkpointId: z.number().int() }),
  z.strictObject({ type: z.literal('finished'), summary: TrainSummarySchema }),
  z.strictObject({ type: z.literal('cancelled'), summary: TrainSummarySchema }),
  /** `invalid_input`: the job asked for something that cannot be (the CLI exits 1); otherwise the trainer failed. */
  z.strictObject({ type: z.literal('failed'), error: z.string(), code: z.literal('invalid_input').optional() }),
]);
export type FromTrainer = z.infer<typeof FromTrainerSchema>;
