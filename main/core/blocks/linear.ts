import { z } from 'zod';
import { defineBlock } from './types';
import { ShapeError, formatShape } from '../errors';
import { product, single } from './shapeChecks';

const LinearParams = z.strictObject({
  outFeatures: z.number().int().positive(),
  bias: z.boolean().default(true),
});
type LinearParams = z.infer<typeof LinearParams>;

/** Positions the layer is applied at: 1 for a vector [F], N for tokens [N,D]. */
const positions = (x: number[]) => product(x.slice(0, -1));

export const Linear = defineBlock<LinearParams>({
  type: 'Linear',
  category: 'linear',
  doc: 'Fully connected layer on the last dimension: a feature vector [F] → [out], or each token of [N,D] → [N,out] with shared weights.',
  params: LinearParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    // An image [C,H,W] is refused: its IR last axis is W but TF.js's (NHWC) is C, so the two would disagree.
    if (x.length !== 1 && x.length !== 2) {
      throw new ShapeError('shape_mismatch', `Linear expects a feature vector [F] or tokens [N,D] (rank 1 or 2) but got ${formatShape(x)}; pool or flatten an image first`, 'in');
    }
    return [...x.slice(0, -1), p.outFeatures];
  },
  countParams: (inputs, p) => ({ params: single(inputs).at(-1)! * p.outFeatures + (p.bias ? p.outFeatures : 0), buffers: 0 }),
  countFlops: (inputs, _out, p) => {
    const x = single(inputs);
    return positions(x) * (2 * x.at(-1)! * p.outFeatures + (p.bias ? p.outFeatures : 0));
  },
  // tf.layers.dense applies to the last axis of any rank, as the IR's Linear does.
  build: (p, ctx) => ([x]) =>
    ctx.tf.layers.dense({ name: ctx.name, units: p.outFeatures, useBias: p.bias }).apply(x) as typeof x,
});
