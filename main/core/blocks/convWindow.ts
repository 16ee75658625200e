import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import type { BuildContext, Shape, SpatialPadding } from './types';
import { expectRank, samePaddingTotal, windowOutputSize } from './shapeChecks';

/** The sliding-window arithmetic every convolution shares: output sizes, checks and TF.js padding. */

export const PaddingSchema = z.union([z.literal('same'), z.literal('valid'), z.number().int().nonnegative()]);
export type Padding = z.infer<typeof PaddingSchema>;

const positiveInt = z.number().int().positive();

/** The window params every convolution block shares, with their defaults. */
export const windowParamFields = {
  kernel: positiveInt.default(3),
  stride: positiveInt.default(1),
  /** 'same', 'valid' or an explicit number of zero rows/columns on every side (PyTorch style). */
  padding: PaddingSchema.default('same'),
  dilation: positiveInt.default(1),
};

/** Output size along one axis for any padding mode. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: Padding, dilation = 1): number {
  if (padding === 'same') return Math.ceil(size / stride);
  return windowOutputSize(size, kernel, stride, padding === 'valid' ? 0 : padding, dilation);
}

/**
 * How to express an IR padding in TF.js: 'same' when TF's own 'same' padding puts exactly
 * `padding` on every side, otherwise explicit zero padding followed by 'valid'.
 */
export function tfPadding(size: number, kernel: number, stride: number, padding: Padding, dilation = 1): { mode: 'same' | 'valid'; pad: number } {
  if (padding === 'same' || padding === 'valid') return { mode: padding, pad: 0 };
  if (padding === 0) return { mode: 'valid', pad: 0 };
  const total = samePaddingTotal(size, kernel, stride, dilation);
  const sameOut = Math.ceil(size / stride);
  if (total === 2 * padding && sameOut === windowOutputSize(size, kernel, stride, padding, dilation)) return { mode: 'same', pad: 0 };
  return { mode: 'valid', pad: padding };
}

export interface Window {
  kernel: number;
  stride: number;
  padding: Padding;
  dilation: number;
}

/** Spatial output size of a strided window over [C,H,W], with the same checks as Conv2d. */
export function windowedOutput(type: string, x: Shape, p: Window): [number, number] {
  expectRank(type, x, 3, 'an image tensor [C,H,W]');
  const [, h, w] = x;
  const span = p.dilation * (p.kernel - 1) + 1;
  const pad = typeof p.padding === 'number' ? p.padding : 0;
  if (p.padding !== 'same' && (span > h + 2 * pad || span > w + 2 * pad)) {
    throw new ShapeError('invalid_shape', `${type}: kernel span ${span} is larger than the padded input ${formatShape(x)}`, 'in');
  }
  return [convOutputSize(h, p.kernel, p.stride, p.padding, p.dilation), convOutputSize(w, p.kernel, p.stride, p.padding, p.dilation)];
}

/**
 * TF.js padding mode for an undilated window, adding an explicit zero-padding layer where TF's
 * 'same' would differ from the IR. Dilated windows go through the engine's atrous layers instead
 * (see atrousLayerConfig), since TF.js cannot differentiate dilated convolutions.
 */
export function padForTf(ctx: BuildContext, p: Window): { mode: 'same' | 'valid'; apply: (x: TF.SymbolicTensor) => TF.SymbolicTensor } {
  const [, h, w] = ctx.inputShapes[0];
  const alongH = tfPadding(h, p.kernel, p.stride, p.padding, p.dilation);
  const alongW = tfPadding(w, p.kernel, p.stride, p.padding, p.dilation);
  const { mode, pad } = alongH.mode === alongW.mode ? alongH : { mode: 'valid' as const, pad: p.padding as number };
  if (p.dilation > 1) throw new Error(`"${ctx.name}": a dilated window compiles through the atrous layers, not padForTf`);
  return {
    mode,
    apply: (x) => (pad > 0 ? (ctx.tf.layers.zeroPadding2d({ padding: pad, name: `${ctx.name}__pad` }).apply(x) as TF.SymbolicTensor) : x),
  };
}

/**
 * The IR padding of a window over [C,H,W] as explicit zeros [before, after] along height and
 * width; 'same' puts the odd row/column after, as TensorFlow and PyTorch both do.
 */
export function explicitPadding(x: Shape, p: Window): SpatialPadding {
  const along = (size: number): [number, number] => {
    if (p.padding === 'valid') return [0, 0];
    if (typeof p.padding === 'number') return [p.padding, p.padding];
    const total = samePaddingTotal(size, p.kernel, p.stride, p.dilation);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  return [along(x[1]), along(x[2])];
}

/** The window part of a dilated-convolution layer's config (ctx.layers.dilatedConv2d / dilatedDepthwiseConv2d). */
export function atrousLayerConfig(ctx: BuildContext, p: Window, name = ctx.name) {
  return { name, kernelSize: p.kernel, stride: p.stride, dilation: p.dilation, padding: explicitPadding(ctx.inputShapes[0], p) };
}
