import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { CheckpointMetricSchema } from './checkpointMetric';

/**
 * The checkpoint file: everything a trainer needs to continue a run exactly where it
 * stopped, in one compact binary file (so one atomic rename replaces it whole).
 *
 *   8 bytes  magic `VBCKPT1\n`
 *   4 bytes  header length N (uint32, little-endian)
 *   N bytes  header: JSON, validated by `CheckpointHeaderSchema`
 *   padding  zeros up to a multiple of 8
 *   ...      weight bytes: the model, then each optimizer group's weights and extras, one
 *            block after another, each laid out as `tf.io.encodeWeights` lays it out
 *
 * The weight specs are TF.js's own `WeightsManifestEntry`s, so the layout is the one
 * tf.io uses for model artefacts; the loop state beside them is plain JSON. Version 2 keeps
 * one optimizer per parameter group (learning-rate multiplier); version 1 files, with one
 * optimizer, still load.
 */

const MAGIC = new TextEncoder().encode('VBCKPT1\n');
const ALIGN = 8;

const WeightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool']),
});
type WeightSpec = z.infer<typeof WeightSpecSchema>;

/** Where the training loop stands: enough to carry on with the very next step. */
export const LoopStateSchema = z.strictObject({
  /** The epoch to continue in (0-based). */
  epoch: z.number().int().nonnegative(),
  /** Steps of `epoch` already taken; 0 at an epoch boundary. */
  stepInEpoch: z.number().int().nonnegative(),
  /** Steps taken in the whole run. */
  step: z.number().int().nonnegative(),
  epochsCompleted: z.number().int().nonnegative(),
  /** They fix which samples each step sees: a resume must use the same. */
  batchSize: z.number().int().positive(),
  trainCount: z.number().int().positive(),
  /** State of the epoch's random generator (dropout, DropPath) for the rest of `epoch`. */
  randomState: z.number().int().nonnegative(),
  /** Sums over the steps of `epoch` taken so far, for its train/epoch_loss and train/top1. */
  epochTotals: z.strictObject({ loss: z.number(), correct: z.number(), seen: z.number().int().nonnegative() }),
  /** The best value of the checkpoint metric so far, and the epoch that reached it. */
  best: z.strictObject({ metric: CheckpointMetricSchema, value: z.number().nullable(), epoch: z.number().int().nullable() }),
  /** Last value of every metric, so a resumed run's summary is complete. */
  metrics: z.record(z.string(), z.number()),
  /**
   * State of stateful schedule helpers (plateau detection, early stopping, the loss
   * combiner's learned weights, the fine-tune phase), each under its own key, as plain JSON
   * (see ./loopHooks). The learning-rate schedules themselves are functions of the step.
   */
  hooks: z.record(z.string(), z.unknown()),
});
export type LoopState = z.infer<typeof LoopStateSchema>;

/** One parameter group's optimizer (one per learning-rate multiplier): its class, weights and extras. */
const OptimizerGroupHeaderSchema = z.strictObject({
  /** The group's learning-rate multiplier: restoring pairs groups by it. */
  multiplier: z.number().positive(),
  /** The TF.js optimizer's class (`Adam`, `Momentum`, `RMSProp`…): its weights only fit the same class. */
  optimizerClass: z.string(),
  weights: z.array(WeightSpecSchema),
  /** Optimizer fields `getWeights()` leaves out but an exact resume needs (Adam's β powers). */
  extras: z.array(WeightSpecSchema),
});

/** Version 1 held a single optimizer; it reads as one group at multiplier 1. */
const CheckpointHeaderV1Schema = z.strictObject({
  format: z.literal('visionbench-checkpoint'),
  version: z.literal(1),
  model: z.array(WeightSpecSchema),
  optimizerClass: z.string(),
  optimizer: z.array(WeightSpecSchema),
  optimizerExtras: z.array(WeightSpecSchema),
  byteLengths: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()]),
  loop: LoopStateSchema,
});

const CheckpointHeaderSchema = z.strictObject({
  format: z.literal('visionbench-checkpoint'),
  version: z.literal(2),
  model: z.array(WeightSpecSchema),
  /** Parameter groups by ascending multiplier (frozen variables have none). */
  optimizers: z.array(OptimizerGroupHeaderSchema),
  /** Byte lengths of the weight blocks in order: the model, then each group's weights and extras. */
  byteLengths: z.array(z.number().int().nonnegative()),
  loop: LoopStateSchema,
});
type CheckpointHeader = z.infer<typeof CheckpointHeaderSchema>;

const AnyCheckpointHeaderSchema = z.discriminatedUnion('version', [CheckpointHeaderV1Schema, CheckpointHeaderSchema]);

function upgradeHeader(header: z.infer<typeof AnyCheckpointHeaderSchema>): CheckpointHeader {
  if (header.version === 2) return header;
  return {
    format: header.format,
    version: 2,
    model: header.model,
    optimizers: [{ multiplier: 1, optimizerClass: header.optimizerClass, weights: header.optimizer, extras: header.optimizerExtras }],
    byteLengths: header.byteLengths,
    loop: header.loop,
  };
}

/** A tensor with its name, as tf.io and `Optimizer.getWeights()` use them. */
export interface NamedTensor {
  name: string;
  tensor: TF.Tensor;
}

/** The state of one parameter group's TF.js optimizer. */
export interface OptimizerGroupState {
  multiplier: number;
  optimizerClass: string;
  /** What `getWeights()` gives: the iteration count and the slot variables, in its order. */
  weights: NamedTensor[];
  extras: NamedTensor[];
}

export interface CheckpointContents {
  model: NamedTensor[];
  optimizers: OptimizerGroupState[];
  loop: LoopState;
}

/** Tensors decoded from a file: the caller owns them and must dispose them (`disposeCheckpoint`). */
export type DecodedCheckpoint = CheckpointContents;

export class CheckpointFormatError extends Error {
  readonly code = 'checkpoint_format';
}

/** Every tensor of a decoded checkpoint. */
export function checkpointTensors(checkpoint: CheckpointContents): NamedTensor[] {
  return [...checkpoint.model, ...checkpoint.optimizers.flatMap((g) => [...g.weights, ...g.extras])];
}

export function disposeCheckpoint(checkpoint: CheckpointContents): void {
  for (const { tensor } of checkpointTensors(checkpoint)) tensor.dispose();
}

function expectUniqueNames(what: string, group: readonly NamedTensor[]): void {
  const seen = new Set<string>();
  for (const { name } of group) {
    if (seen.has(name)) throw new CheckpointFormatError(`Two ${what} weights are both named "${name}": a checkpoint could not tell them apart`);
    seen.add(name);
  }
}

export async function encodeCheckpoint(tf: typeof TF, contents: CheckpointContents): Promise<Uint8Array> {
  expectUniqueNames('model', contents.model);
  const multipliers = contents.optimizers.map((g) => g.multiplier);
  if (new Set(multipliers).size !== multipliers.length) throw new CheckpointFormatError(`Two optimizer groups share a multiplier (${multipliers.join(', ')})`);
  for (const g of contents.optimizers) expectUniqueNames(`optimizer (multiplier ${g.multiplier})`, g.weights);
  const optimizers = [...contents.optimizers].sort((a, b) => a.multiplier - b.multiplier);
  const blocks = [contents.model, ...optimizers.flatMap((g) => [g.weights, g.extras])];
  // Our tensors are float32, int32 or bool: the spec types TF.js allows beyond those never occur.
  const encoded = (await Promise.all(blocks.map((b) => tf.io.encodeWeights(b)))).map((e) => ({ data: e.data, specs: e.specs as WeightSpec[] }));
  const header: CheckpointHeader = {
    format: 'visionbench-checkpoint',
    version: 2,
    model: encoded[0].specs,
    optimizers: optimizers.map((g, i) => ({ multiplier: g.multiplier, optimizerClass: g.optimizerClass, weights: encoded[1 + 2 * i].specs, extras: encoded[2 + 2 * i].specs })),
    byteLengths: encoded.map((e) => e.data.byteLength),
    loop: LoopStateSchema.parse(contents.loop),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align(MAGIC.length + 4 + json.length);
  const out = new Uint8Array(dataStart + header.byteLengths.reduce((a, b) => a + b, 0));
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  let offset = dataStart;
  for (const e of encoded) {
    out.set(new Uint8Array(e.data), offset);
    offset += e.data.byteLength;
  }
  return out;
}

/** Decodes a checkpoint file's bytes (version 1 or 2) into tensors, in the order they were saved, and loop state. */
export function decodeCheckpoint(tf: typeof TF, bytes: Uint8Array): DecodedCheckpoint {
  if (bytes.length < MAGIC.length + 4 || MAGIC.some((b, i) => bytes[i] !== b)) throw new CheckpointFormatError('Not a VisionBench checkpoint (bad magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw new CheckpointFormatError('Checkpoint is truncated inside its header');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerEnd)));
  } catch (e) {
    throw new CheckpointFormatError(`Checkpoint header is not JSON: ${(e as Error).message}`);
  }
  const parsed = AnyCheckpointHeaderSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointFormatError(`Checkpoint header is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const header = upgradeHeader(parsed.data);
  const specs = [header.model, ...header.optimizers.flatMap((g) => [g.weights, g.extras])];
  if (specs.length !== header.byteLengths.length) throw new CheckpointFormatError(`Checkpoint header lists ${header.byteLengths.length} weight blocks for ${specs.length}`);
  let offset = align(headerEnd);
  if (offset + header.byteLengths.reduce((a, b) => a + b, 0) !== bytes.length) throw new CheckpointFormatError('Checkpoint weight data has the wrong length');
  const blocks = specs.map((blockSpecs, i) => {
    const start = bytes.byteOffset + offset;
    offset += header.byteLengths[i];
    // A copy: decodeWeights views the buffer, and the file's buffer may be pooled.
    const buffer = bytes.buffer.slice(start, start + header.byteLengths[i]) as ArrayBuffer;
    const tensors = tf.io.decodeWeights(buffer, blockSpecs);
    return blockSpecs.map((s) => ({ name: s.name, tensor: tensors[s.name] }));
  });
  return {
    model: blocks[0],
    optimizers: header.optimizers.map((g, i) => ({ multiplier: g.multiplier, optimizerClass: g.optimizerClass, weights: blocks[1 + 2 * i], extras: blocks[2 + 2 * i] })),
    loop: header.loop,
  };
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
