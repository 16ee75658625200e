import { z } from 'zod';
import { BackendInfoSchema, GraphIRSchema, OptimizerNameSchema, ScheduleNameSchema } from '../core';

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

export const TrainJobSchema = z.strictObject({
  runId: z.string(),
  storeFile: z.string(),
  graph: GraphIRSchema,
  hyperParams: HyperParamsSchema,
  data: DataSpecSchema,
  backend: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).optional(),
  threads: z.number().int().positive().optional(),
});
export type TrainJob = z.infer<typeof TrainJobSchema>;

export const ToTrainerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), job: TrainJobSchema }),
  z.strictObject({ type: z.literal('cancel') }),
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
  epochs: z.number().int(),
  metrics: z.record(z.string(), z.number()),
  imagesPerSecond: z.number(),
  seconds: z.number(),
});
export type TrainSummary = z.infer<typeof TrainSummarySchema>;

export const FromTrainerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), backend: BackendInfoSchema }),
  z.strictObject({ type: z.literal('progress'), progress: ProgressSchema }),
  z.strictObject({ type: z.literal('epoch'), epoch: z.number().int(), metrics: z.record(z.string(), z.number()) }),
  z.strictObject({ type: z.literal('finished'), summary: TrainSummarySchema }),
  z.strictObject({ type: z.literal('cancelled'), summary: TrainSummarySchema }),
  z.strictObject({ type: z.literal('failed'), error: z.string() }),
]);
export type FromTrainer = z.infer<typeof FromTrainerSchema>;
