import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { expectRank, product, single } from './shapeChecks';
import { PaddingSchema, convOutputSize } from './conv';

const AvgPoolParams = z.strictObject({
  kernel: z.number().int().positive().default(2),
  stride: z.number().int().positive().default(2),
  padding: PaddingSchema.default('valid'),
});
type AvgPoolParams = z.infer<typeof AvgPoolParams>;

/**
 * Average pooling. A numeric padding behaves like PyTorch's default (count_include_pad=True):
 * the zeros count in every window's mean; TF.js gets an explicit zero-padding layer for it.
 * 'same' follows TF, where padded positions are left out of the mean.
 */
export const AvgPool = defineBlock<AvgPoolParams>({
  type: 'AvgPool',
  category: 'pooling',
  doc: 'Mean over each kernel window per channel. Numeric padding counts the zeros in the mean (PyTorch count_include_pad=True); "same" leaves them out (TF).',
  params: AvgPoolParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('AvgPool', x, 3, 'an image tensor [C,H,W]');
    if (typeof p.padding === 'number' && 2 * p.padding > p.kernel) {
      throw new ShapeError('invalid_param', `AvgPool: padding ${p.padding} is more than half the kernel ${p.kernel}`);
    }
    const oh = convOutputSize(x[1], p.kernel, p.stride, p.padding);
    const ow = convOutputSize(x[2], p.kernel, p.stride, p.padding);
    if (oh <= 0 || ow <= 0) throw new ShapeError('invalid_shape', `AvgPool: window ${p.kernel} does not fit input ${formatShape(x)}`, 'in');
    return [x[0], oh, ow];
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  /** K·K adds per output element, like MaxPool's K·K comparisons (the division is not counted). */
  countFlops: (_inputs, out, p) => product(out) * p.kernel * p.kernel,
  build(p, ctx) {
    const pad = typeof p.padding === 'number' ? p.padding : 0;
    const mode = p.padding === 'same' ? 'same' : 'valid';
    return ([x]) => {
      const padded = pad > 0 ? (ctx.tf.layers.zeroPadding2d({ padding: pad, name: `${ctx.name}__pad` }).apply(x) as typeof x) : x;
      return ctx.tf.layers.averagePooling2d({ name: ctx.name, poolSize: p.kernel, strides: p.stride, padding: mode }).apply(padded) as typeof x;
    };
  },
});
