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
 *   ...      weight bytes: model, optimizer, optimizer extras, one after another, each
 *            laid out as `tf.io.encodeWeights` lays out its group (the header's specs)
 *
 * The weight specs are TF.js's own `WeightsManifestEntry`s, so the layout is the one
 * tf.io uses for model artefacts; the loop state beside them is plain JSON.
 */

const MAGIC = new TextEncoder().encode('VBCKPT1\n');
const ALIGN = 8;

const WeightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool']),
});

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
   * State of stateful schedule helpers (plateau detection, early stopping…), each under
   * its own key, as plain JSON. The learning-rate schedules themselves are functions of
   * the step and need none.
   */
  hooks: z.record(z.string(), z.unknown()),
});
export type LoopState = z.infer<typeof LoopStateSchema>;

const CheckpointHeaderSchema = z.strictObject({
  format: z.literal('visionbench-checkpoint'),
  version: z.literal(1),
  model: z.array(WeightSpecSchema),
  /** The TF.js optimizer's class (`Adam`, `Momentum`, `RMSProp`…): its weights only fit the same class. */
  optimizerClass: z.string(),
  optimizer: z.array(WeightSpecSchema),
  /** Optimizer fields `getWeights()` leaves out but an exact resume needs (Adam's β powers). */
  optimizerExtras: z.array(WeightSpecSchema),
  /** Byte lengths of the three weight groups, in order. */
  byteLengths: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()]),
  loop: LoopStateSchema,
});

/** A tensor with its name, as tf.io and `Optimizer.getWeights()` use them. */
export interface NamedTensor {
  name: string;
  tensor: TF.Tensor;
}

export interface CheckpointContents {
  model: NamedTensor[];
  optimizerClass: string;
  optimizer: NamedTensor[];
  optimizerExtras: NamedTensor[];
  loop: LoopState;
}

/** Tensors decoded from a file: the caller owns them and must dispose them. */
export type DecodedCheckpoint = CheckpointContents;

export class CheckpointFormatError extends Error {
  readonly code = 'checkpoint_format';
}

export async function encodeCheckpoint(tf: typeof TF, contents: CheckpointContents): Promise<Uint8Array> {
  for (const [what, group] of [['model', contents.model], ['optimizer', contents.optimizer]] as const) {
    const seen = new Set<string>();
    for (const { name } of group) {
      if (seen.has(name)) throw new CheckpointFormatError(`Two ${what} weights are both named "${name}": a checkpoint could not tell them apart`);
      seen.add(name);
    }
  }
  const groups = await Promise.all([contents.model, contents.optimizer, contents.optimizerExtras].map((g) => tf.io.encodeWeights(g)));
  const header = {
    format: 'visionbench-checkpoint' as const,
    version: 1 as const,
    model: groups[0].specs,
    optimizerClass: contents.optimizerClass,
    optimizer: groups[1].specs,
    optimizerExtras: groups[2].specs,
    byteLengths: groups.map((g) => g.data.byteLength) as [number, number, number],
    loop: LoopStateSchema.parse(contents.loop),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align(MAGIC.length + 4 + json.length);
  const out = new Uint8Array(dataStart + header.byteLengths.reduce((a, b) => a + b, 0));
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  let offset = dataStart;
  for (const g of groups) {
    out.set(new Uint8Array(g.data), offset);
    offset += g.data.byteLength;
  }
  return out;
}

/** Decodes a checkpoint file's bytes into tensors (in the order they were saved) and loop state. */
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
  const parsed = CheckpointHeaderSchema.safeParse(raw);
  if (!parsed.success) throw new CheckpointFormatError(`Checkpoint header is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const header = parsed.data;
  let offset = align(headerEnd);
  if (offset + header.byteLengths.reduce((a, b) => a + b, 0) !== bytes.length) throw new CheckpointFormatError('Checkpoint weight data has the wrong length');
  const [model, optimizer, optimizerExtras] = [header.model, header.optimizer, header.optimizerExtras].map((specs, i) => {
    const start = bytes.byteOffset + offset;
    offset += header.byteLengths[i];
    // A copy: decodeWeights views the buffer, and the file's buffer may be pooled.
    const buffer = bytes.buffer.slice(start, start + header.byteLengths[i]) as ArrayBuffer;
    const tensors = tf.io.decodeWeights(buffer, specs);
    return specs.map((s) => ({ name: s.name, tensor: tensors[s.name] }));
  });
  return { model, optimizerClass: header.optimizerClass, optimizer, optimizerExtras, loop: header.loop };
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
