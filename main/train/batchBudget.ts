import os from 'node:os';
import { inferGraph, type GraphIR } from '../core';
import type { BackendNameSchema } from './protocol';
import type { z } from 'zod';

type BackendName = z.infer<typeof BackendNameSchema>;

/**
 * Whether a batch size fits in the memory a backend can give a training step. Template recipes
 * carry ImageNet batch sizes (256, 512) that no wasm heap holds: the wasm32 heap caps at 4 GiB
 * and never shrinks, and an allocation past it kills the trainer, so the CLI checks the batch
 * before a run starts (DESIGN.md §4).
 *
 * The estimate comes from shape inference alone, so it costs nothing and runs before anything is
 * compiled: per sample, every node's float32 outputs times ACTIVATION_FACTOR (the activation the
 * backward pass keeps, its gradient, and the temporaries of the kernels that produce both), plus,
 * once, the weights four times over (weights, gradients, Adam's two moments) and the buffers.
 */

/**
 * Bytes of training memory per byte of a sample's activations. Calibrated on the wasm backend
 * (1 thread, the kernels of 2026-11-25) with tests/unit/train/measureTrainingMemory.ts: one Adam
 * step after a warm-up step, at batch 8 and 16, 3×96×96; the slope between the two batches is
 * what a sample costs:
 *   tiny_resnet (1.62 MB of activations a sample): tf.profile peakBytes +11.4 MB a sample (×7.0),
 *     wasm heap +11.7 MB (×7.25);
 *   mobilenet_v2 (14.6 MB a sample): peakBytes +109.6 MB a sample (×7.5), heap +107.1 MB (×7.3).
 * The intercepts (tiny_resnet 15 MB, mobilenet_v2 47 MB of peak against 12 and 36 MB of weights
 * ×4; the heap's up to 100 MB) fit in the quarter of the heap the wasm budget leaves free.
 */
export const ACTIVATION_FACTOR = 7.5;
/** Weights, their gradients and Adam's two moments. */
export const WEIGHT_COPIES = 4;
const FLOAT_BYTES = 4;
const GIB = 1024 ** 3;

export interface TrainingMemoryParts {
  /** Float32 bytes of every node's outputs for one sample (shape inference's activationBytes). */
  activationBytesPerSample: number;
  /** Float32 bytes of the learnable weights. */
  weightBytes: number;
  /** Float32 bytes of buffers (BatchNorm running statistics). */
  bufferBytes: number;
}

export interface TrainingMemoryEstimate {
  /** Bytes each sample of a batch adds. */
  perSample: number;
  /** Bytes whatever the batch size: weights, gradients, optimiser state, buffers. */
  fixed: number;
}

export function trainingMemoryParts(graph: GraphIR): TrainingMemoryParts {
  const report = inferGraph(graph);
  if (!report.ok) throw new Error(`Cannot estimate the training memory of an invalid graph: ${report.errors.map((e) => e.message).join('; ')}`);
  return {
    activationBytesPerSample: report.totals.activationBytes,
    weightBytes: report.totals.params * FLOAT_BYTES,
    bufferBytes: report.totals.buffers * FLOAT_BYTES,
  };
}

export function estimateTrainingMemory(parts: TrainingMemoryParts): TrainingMemoryEstimate {
  return { perSample: parts.activationBytesPerSample * ACTIVATION_FACTOR, fixed: parts.weightBytes * WEIGHT_COPIES + parts.bufferBytes };
}

export function bytesForBatch(estimate: TrainingMemoryEstimate, batchSize: number): number {
  return estimate.fixed + estimate.perSample * batchSize;
}

/** Share of the machine's memory a native (tensorflow or plain JS) trainer may plan to use. */
export const HOST_MEMORY_SHARE = 0.5;

/**
 * How many bytes a training step may use on a backend: 3 GiB of wasm's 4 GiB heap (the rest is
 * the heap's growth slack, kernels' scratch space and validation), and for the others a share
 * of the machine's memory (the GPU's own memory is not known before the backend starts; host
 * memory bounds what tfjs-node-gpu stages through it).
 */
export function memoryBudget(backend: BackendName, totalMemory: number = os.totalmem()): number {
  return backend === 'wasm' ? 3 * GIB : Math.floor(totalMemory * HOST_MEMORY_SHARE);
}

export interface BatchDecision {
  batchSize: number;
  /** Set when a recipe's batch size did not fit and was lowered. */
  capped?: { from: number; to: number; reason: string };
  /** Set when an explicit --batch does not fit: it is kept, the user warned. */
  warning?: string;
}

export interface BatchRequest {
  batchSize: number;
  /** The recipe's default (true) or the user's own --batch (false). */
  fromRecipe: boolean;
  estimate: TrainingMemoryEstimate;
  budget: number;
  /** Named in messages, e.g. `wasm`. */
  backend: string;
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

/**
 * A recipe's batch size that does not fit is lowered to the largest power of two that does (at
 * least 1, which may still not fit: a model too big for any batch is for the trainer to report);
 * a batch the user chose is kept, with a warning, since they may know better than the estimate.
 */
export function fitBatchSize(request: BatchRequest): BatchDecision {
  const { batchSize, estimate, budget, backend } = request;
  const needed = bytesForBatch(estimate, batchSize);
  if (needed <= budget) return { batchSize };
  const why = `batch ${batchSize} needs about ${mb(needed)} for training on ${backend}, over its budget of ${mb(budget)}`;
  if (!request.fromRecipe) return { batchSize, warning: `--batch ${batchSize} may not fit in memory: ${why}` };
  let to = 1;
  while (to * 2 < batchSize && bytesForBatch(estimate, to * 2) <= budget) to *= 2;
  return { batchSize: to, capped: { from: batchSize, to, reason: why } };
}
