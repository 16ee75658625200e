import type * as TF from '@tensorflow/tfjs';
import type { BuildContext, Shape } from './types';

/**
 * How IR shapes (per sample, channels first) map to TF.js tensors (batch first, NHWC): a rank-3
 * [C,H,W] becomes [B,H,W,C]; every other rank keeps its order behind the batch axis.
 */

/** The TF.js axis (1-based: 0 is the batch) that holds IR axis `irAxis` of a per-sample shape of rank `rank`. */
export function tfAxis(rank: number, irAxis: number): number {
  if (rank === 3) return [3, 1, 2][irAxis];
  return irAxis + 1;
}

/** The TF.js per-sample shape of an IR shape. */
export function tfShape(shape: Shape): Shape {
  return shape.length === 3 ? [shape[1], shape[2], shape[0]] : [...shape];
}

/** An IR axis that may be negative (counted from the end), checked against the rank; null when out of range. */
export function normalizeAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

type Sym = TF.SymbolicTensor;

/** Reorders a rank-3 NHWC tensor to NCHW so that element order matches PyTorch's; other ranks pass through. */
export function toChannelsFirst(ctx: BuildContext, x: Sym, rank: number, suffix: string): Sym {
  if (rank !== 3) return x;
  return ctx.tf.layers.permute({ dims: [3, 1, 2], name: `${ctx.name}__${suffix}` }).apply(x) as Sym;
}

/** The inverse of toChannelsFirst: NCHW back to NHWC for a rank-3 per-sample shape. */
export function toChannelsLast(ctx: BuildContext, x: Sym, rank: number, name: string): Sym {
  if (rank !== 3) return x;
  return ctx.tf.layers.permute({ dims: [2, 3, 1], name }).apply(x) as Sym;
}
