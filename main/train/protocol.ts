import { z } from 'zod';
import { BackendInfoSchema, GraphIRSchema, OptimizerNameSchema, ScheduleNameSchema } from '../core';
import { CheckpointMetricSchema } from './checkpointMetric';

/**
 * The typed message protocol between the engine and a trainer process. Both directions are
 * validated with these schemas; nothing else crosses the process boundary.
 */

export const HyperParamsSchema = z.strictObject({
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  optimizer: OptimizerNameSchema,
  /** L2 (or, for AdamW, decoupled) weight decay on weights of rank ≥ 2. */
  weightDecay: z.number().min(0).default(0),
  /** Clip gradients to this global L2 norm. */
  clipNorm: z.number().positive().optional(),
  learningRate: z.number().positive(),
  schedule: ScheduleNameSchema,
  seed: z.number().int(),
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
});
export type TrainJob = z.infer<typeof TrainJobSchema>;

/**
 * What a run's record keeps of its settings (`hyperParams` in the store): enough for a
 * resume to rebuild the same job.
 */
export const RecordedSettingsSchema = HyperParamsSchema.extend({
  data: DataSpecSchema,
  checkpointMetric: CheckpointMetricSchema.optional(),
});
export type RecordedSettings = z.infer<typeof RecordedSettingsSchema>;

/** `pause` holds the trainer before its next step; `resume` lets it go on; `cancel` stops it after a checkpoint. */
export const ToTrainerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), job: TrainJobSchema }),
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
});
export type TrainSummary = z.infer<typeof TrainSummarySchema>;

export const FromTrainerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), backend: BackendInfoSchema }),
  z.strictObject({ type: z.literal('progress'), progress: ProgressSchema }),
  z.strictObject({ type: z.literal('epoch'), epoch: z.number().int(), metrics: z.record(z.string(), z.number()) }),
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
  z.strictObject({ type: z.literal('failed'), error: z.string() }),
]);
export type FromTrainer = z.infer<typeof FromTrainerSchema>;
