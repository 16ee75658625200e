import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { product } from './shapeChecks';

export const Add = defineBlock({
  type: 'Add',
  category: 'merge',
  doc: 'Element-wise sum of two or more tensors of the same shape (residual connections).',
  params: z.strictObject({}),
  inputs: [{ name: 'in', arity: 'many', min: 2 }],
  outputs: ['out'],
  inferShape(inputs) {
    const shapes = inputs.in;
    const first = shapes[0];
    for (const s of shapes.slice(1)) {
      if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
        throw new ShapeError('shape_mismatch', `input shapes ${shapes.map(formatShape).join(' and ')} differ`, 'in');
      }
    }
    return first;
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: (inputs, out) => (inputs.in.length - 1) * product(out),
  build: (_p, ctx) => (xs) => ctx.tf.layers.add({ name: ctx.name }).apply(xs) as (typeof xs)[number],
});
