import { z } from 'zod';

/** The IR version this build writes. Older versions are upgraded by `migrateGraph`. */
export const GRAPH_IR_VERSION = 1;

export const PortRefSchema = z.strictObject({
  node: z.string().min(1),
  port: z.string().min(1),
});

export const GraphNodeSchema = z.strictObject({
  id: z.string().min(1).regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : -'),
  type: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
  /** Frozen nodes keep their weights during training; their params leave `trainableParams`. */
  frozen: z.boolean().optional(),
});

export const GraphEdgeSchema = z.strictObject({
  from: PortRefSchema,
  to: PortRefSchema,
});

/**
 * Learning-rate schedules (shapes defined in main/train/learningRate.ts): constant; step (×0.1 every
 * third of the run); multistep (×0.1 at 50 % and 75 %); exponential (to 1 % of the base by the
 * end); cosine; warmup-cosine (linear warm-up over 5 % of steps, then cosine); one-cycle (PyTorch's
 * OneCycleLR: up from base/25 to base at 30 %, then cosine down to base/25e4); reduce-on-plateau
 * (constant, cut by a factor each time a monitored metric stops improving: PyTorch's ReduceLROnPlateau).
 */
export const ScheduleNameSchema = z.enum(['constant', 'step', 'multistep', 'exponential', 'cosine', 'warmup-cosine', 'one-cycle', 'reduce-on-plateau']);
export type ScheduleName = z.infer<typeof ScheduleNameSchema>;

/** Optimisers: SGD with momentum 0.9 (plain or Nesterov), Adam, AdamW (decoupled weight decay), RMSprop. */
export const OptimizerNameSchema = z.enum(['sgd', 'nesterov', 'adam', 'adamw', 'rmsprop']);
export type OptimizerName = z.infer<typeof OptimizerNameSchema>;

/** The training recipe a template suggests; every field can be overridden per run. */
export const RecipeSchema = z.strictObject({
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  optimizer: OptimizerNameSchema,
  weightDecay: z.number().min(0).optional(),
  learningRate: z.number().positive(),
  schedule: ScheduleNameSchema.default('constant'),
  augmentation: z.array(z.string()).default([]),
});

export const GraphMetaSchema = z
  .object({
    description: z.string().optional(),
    tasks: z.array(z.string()).optional(),
    recipe: RecipeSchema.optional(),
  })
  .catchall(z.unknown());

/**
 * A composite block defined by the user: a subgraph whose `GroupInput` and `GroupOutput` nodes
 * (param `port`) are its ports. `Group` nodes (param `ref`) place it in a graph, as often as
 * needed; groups may contain groups.
 */
export const GroupDefinitionSchema = z.strictObject({
  doc: z.string().optional(),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
});

export const GraphIRSchema = z.strictObject({
  version: z.literal(GRAPH_IR_VERSION),
  name: z.string().min(1),
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema),
  /** Composite blocks this graph uses, by name. */
  groups: z.record(z.string().min(1), GroupDefinitionSchema).optional(),
  meta: GraphMetaSchema.default({}),
});

export type PortRef = z.infer<typeof PortRefSchema>;
export type GraphNode = z.infer<typeof GraphNodeSchema>;
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;
export type Recipe = z.infer<typeof RecipeSchema>;
export type GraphIR = z.infer<typeof GraphIRSchema>;
export type GroupDefinition = z.infer<typeof GroupDefinitionSchema>;
