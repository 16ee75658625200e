import { z } from 'zod';
import { defineBlock } from './types';
import { expectRank, single } from './shapeChecks';

const LinearParams = z.strictObject({
  outFeatures: z.number().int().positive(),
  bias: z.boolean().default(true),
});
type LinearParams = z.infer<typeof LinearParams>;

export const Linear = defineBlock<LinearParams>({
  type: 'Linear',
  category: 'linear',
  doc: 'Fully connected layer on a feature vector [F].',
  params: LinearParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    expectRank('Linear', single(inputs), 1, 'a feature vector [F]');
    return [p.outFeatures];
  },
  countParams: (inputs, p) => ({ params: single(inputs)[0] * p.outFeatures + (p.bias ? p.outFeatures : 0), buffers: 0 }),
  countFlops: (inputs, _out, p) => 2 * single(inputs)[0] * p.outFeatures + (p.bias ? p.outFeatures : 0),
  build: (p, ctx) => ([x]) =>
    ctx.tf.layers.dense({ name: ctx.name, units: p.outFeatures, useBias: p.bias }).apply(x) as typeof x,
});
