import { z } from 'zod';
import { defineBlock } from './types';
import { product, single } from './shapeChecks';

const NoParams = z.strictObject({});

export const ReLU = defineBlock({
  type: 'ReLU',
  category: 'activation',
  doc: 'Rectified linear unit, max(0, x), element-wise.',
  params: NoParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape: (inputs) => single(inputs),
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: (_inputs, out) => product(out),
  build: (_p, ctx) => ([x]) => ctx.tf.layers.reLU({ name: ctx.name }).apply(x) as typeof x,
});
