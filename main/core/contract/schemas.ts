import { z } from 'zod';
import { GraphIRSchema } from '../ir/schema';

/** Plain JSON shapes that cross the UI/engine boundary. Every one is validated on both sides. */

export const ShapeSchema = z.array(z.number().int());

export const GraphErrorSchema = z.object({
  code: z.string(),
  node: z.string().optional(),
  port: z.string().optional(),
  message: z.string(),
});

export const NodeReportSchema = z.object({
  id: z.string(),
  type: z.string(),
  outShape: ShapeSchema.nullable(),
  params: z.number(),
  trainableParams: z.number(),
  buffers: z.number(),
  flops: z.number(),
  activationBytes: z.number(),
  outShapes: z.record(z.string(), ShapeSchema).optional(),
});

export const GraphTotalsSchema = z.object({
  params: z.number(),
  trainableParams: z.number(),
  buffers: z.number(),
  flops: z.number(),
  activationBytes: z.number(),
});

export const GraphReportSchema = z.object({
  ok: z.boolean(),
  nodes: z.array(NodeReportSchema),
  outputs: z.array(z.string()),
  totals: GraphTotalsSchema,
  errors: z.array(GraphErrorSchema),
});

export const TemplateSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  tasks: z.array(z.string()),
  /** Input shape [C,H,W] of the template's Input node. */
  input: ShapeSchema,
  params: z.number(),
  trainableParams: z.number(),
  flops: z.number(),
});

export const RunStatusSchema = z.enum(['queued', 'running', 'finished', 'failed', 'cancelled']);

export const RunSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: RunStatusSchema,
  backend: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  epochs: z.number().int(),
  /** Last value of every metric, by DESIGN.md name (e.g. `val/top1`), as fractions. */
  metrics: z.record(z.string(), z.number()),
  error: z.string().nullable(),
});

export const RunDetailSchema = RunSummarySchema.extend({
  graph: GraphIRSchema,
  hyperParams: z.record(z.string(), z.unknown()),
  imagesPerSecond: z.number().nullable(),
});

export const MetricPointSchema = z.object({ step: z.number().int(), epoch: z.number().int(), value: z.number() });
export const MetricSeriesSchema = z.object({ name: z.string(), points: z.array(MetricPointSchema) });

export const BackendInfoSchema = z.object({
  /** The TF.js backend the engine trains on, e.g. `wasm`. */
  name: z.string(),
  threads: z.number().int(),
  /** A short label for the badge, e.g. `wasm ×2 threads`. */
  label: z.string(),
});

export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
export type RunDetail = z.infer<typeof RunDetailSchema>;
export type MetricPoint = z.infer<typeof MetricPointSchema>;
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;
export type BackendInfo = z.infer<typeof BackendInfoSchema>;
