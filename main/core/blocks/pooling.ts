import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { expectRank, product, single } from './shapeChecks';
import { PaddingSchema, convOutputSize, tfPadding } from './conv';

const MaxPoolParams = z.strictObject({
  kernel: z.number().int().positive().default(2),
  stride: z.number().int().positive().default(2),
  padding: PaddingSchema.default('valid'),
});
type MaxPoolParams = z.infer<typeof MaxPoolParams>;

export const MaxPool = defineBlock<MaxPoolParams>({
  type: 'MaxPool',
  category: 'pooling',
  doc: 'Maximum over each kernel window per channel; padding never wins the max.',
  params: MaxPoolParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('MaxPool', x, 3, 'an image tensor [C,H,W]');
    if (typeof p.padding === 'number' && 2 * p.padding > p.kernel) {
      throw new ShapeError('invalid_param', `MaxPool: padding ${p.padding} is more than half the kernel ${p.kernel}`);
    }
    const oh = convOutputSize(x[1], p.kernel, p.stride, p.padding);
    const ow = convOutputSize(x[2], p.kernel, p.stride, p.padding);
    if (oh <= 0 || ow <= 0) throw new ShapeError('invalid_shape', `MaxPool: window ${p.kernel} does not fit input ${formatShape(x)}`, 'in');
    return [x[0], oh, ow];
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: (_inputs, out, p) => product(out) * p.kernel * p.kernel,
  build(p, ctx) {
    // TF's 'same' pads with -inf like PyTorch; when it would split padding unevenly the
    // output shape still matches, only the window alignment differs by one pixel.
    const { mode, pad } = tfPadding(ctx.inputShapes[0][1], p.kernel, p.stride, p.padding);
    return ([x]) =>
      ctx.tf.layers
        .maxPooling2d({ name: ctx.name, poolSize: p.kernel, strides: p.stride, padding: pad > 0 ? 'same' : mode })
        .apply(x) as typeof x;
  },
});

export const GlobalAvgPool = defineBlock({
  type: 'GlobalAvgPool',
  category: 'pooling',
  doc: 'Average over all spatial positions: [C,H,W] becomes [C].',
  params: z.strictObject({}),
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const x = single(inputs);
    expectRank('GlobalAvgPool', x, 3, 'an image tensor [C,H,W]');
    return [x[0]];
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: (inputs) => product(single(inputs)),
  build: (_p, ctx) => ([x]) => ctx.tf.layers.globalAveragePooling2d({ name: ctx.name }).apply(x) as typeof x,
});
