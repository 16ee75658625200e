import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock, type BuildContext } from './types';
import { expectRank, samePaddingTotal, single, windowOutputSize } from './shapeChecks';

const positiveInt = z.number().int().positive();

export const PaddingSchema = z.union([z.literal('same'), z.literal('valid'), z.number().int().nonnegative()]);
export type Padding = z.infer<typeof PaddingSchema>;

const Conv2dParams = z.strictObject({
  outChannels: positiveInt,
  kernel: positiveInt.default(3),
  stride: positiveInt.default(1),
  /** 'same', 'valid' or an explicit number of zero rows/columns on every side (PyTorch style). */
  padding: PaddingSchema.default('same'),
  dilation: positiveInt.default(1),
  groups: positiveInt.default(1),
  bias: z.boolean().default(true),
});
type Conv2dParams = z.infer<typeof Conv2dParams>;

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

export const Conv2d = defineBlock<Conv2dParams>({
  type: 'Conv2d',
  category: 'convolution',
  doc: '2-D convolution over [C,H,W]. Padding is "same", "valid" or an explicit count per side; groups split channels.',
  params: Conv2dParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('Conv2d', x, 3, 'an image tensor [C,H,W]');
    const [c, h, w] = x;
    if (c % p.groups !== 0 || p.outChannels % p.groups !== 0) {
      throw new ShapeError('invalid_param', `Conv2d: groups=${p.groups} must divide input channels ${c} and outChannels ${p.outChannels}`);
    }
    const span = p.dilation * (p.kernel - 1) + 1;
    const pad = typeof p.padding === 'number' ? p.padding : 0;
    if (p.padding !== 'same' && (span > h + 2 * pad || span > w + 2 * pad)) {
      throw new ShapeError('invalid_shape', `Conv2d: kernel span ${span} is larger than the padded input ${formatShape(x)}`, 'in');
    }
    const oh = convOutputSize(h, p.kernel, p.stride, p.padding, p.dilation);
    const ow = convOutputSize(w, p.kernel, p.stride, p.padding, p.dilation);
    if (oh <= 0 || ow <= 0) throw new ShapeError('invalid_shape', `Conv2d: output size ${oh}x${ow} is not positive for input ${formatShape(x)}`, 'in');
    return [p.outChannels, oh, ow];
  },
  countParams(inputs, p) {
    const c = single(inputs)[0];
    return { params: p.kernel * p.kernel * (c / p.groups) * p.outChannels + (p.bias ? p.outChannels : 0), buffers: 0 };
  },
  countFlops(inputs, out, p) {
    const c = single(inputs)[0];
    const positions = out[1] * out[2];
    const macs = p.kernel * p.kernel * (c / p.groups) * p.outChannels * positions;
    return 2 * macs + (p.bias ? p.outChannels * positions : 0);
  },
  build(p, ctx: BuildContext) {
    const [, h, w] = ctx.inputShapes[0];
    const alongH = tfPadding(h, p.kernel, p.stride, p.padding, p.dilation);
    const alongW = tfPadding(w, p.kernel, p.stride, p.padding, p.dilation);
    const { mode, pad } = alongH.mode === alongW.mode ? alongH : { mode: 'valid' as const, pad: p.padding as number };
    if (p.groups !== 1) throw new Error(`Conv2d "${ctx.name}": grouped convolution is not compiled yet`);
    return ([x]) => {
      const padded = pad > 0 ? (ctx.tf.layers.zeroPadding2d({ padding: pad, name: `${ctx.name}__pad` }).apply(x) as typeof x) : x;
      return ctx.tf.layers
        .conv2d({
          name: ctx.name,
          filters: p.outChannels,
          kernelSize: p.kernel,
          strides: p.stride,
          padding: mode,
          dilationRate: p.dilation,
          useBias: p.bias,
          kernelInitializer: 'heNormal',
        })
        .apply(padded) as typeof x;
    };
  },
});
