import { z } from 'zod';
import { defineBlock } from './types';
import { expectRank, product, single } from './shapeChecks';

const BatchNormParams = z.strictObject({
  eps: z.number().positive().default(1e-5),
  /** Weight of the running statistics kept per update (PyTorch's momentum 0.1 = 0.9 here). */
  momentum: z.number().min(0).max(1).default(0.9),
});
type BatchNormParams = z.infer<typeof BatchNormParams>;

export const BatchNorm = defineBlock<BatchNormParams>({
  type: 'BatchNorm',
  category: 'normalization',
  doc: 'Batch normalisation over channels: learnable scale and shift, running mean and variance as buffers.',
  params: BatchNormParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const x = single(inputs);
    expectRank('BatchNorm', x, 3, 'an image tensor [C,H,W]');
    return x;
  },
  countParams: (inputs) => ({ params: 2 * single(inputs)[0], buffers: 2 * single(inputs)[0] }),
  countFlops: (_inputs, out) => 2 * product(out),
  build: (p, ctx) => ([x]) =>
    ctx.tf.layers.batchNormalization({ name: ctx.name, axis: -1, epsilon: p.eps, momentum: p.momentum }).apply(x) as typeof x,
});
