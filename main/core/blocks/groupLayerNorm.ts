import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { expectRank, product, single } from './shapeChecks';
import { tfAxis } from './layout';

/** Normalisation costs about 5 FLOPs per element: mean, variance, subtract, divide, scale-and-shift. */
const FLOPS_PER_ELEMENT = 5;

const GroupNormParams = z.strictObject({
  groups: z.number().int().positive().default(32),
  eps: z.number().positive().default(1e-5),
});
type GroupNormParams = z.infer<typeof GroupNormParams>;

/** PyTorch's nn.GroupNorm(groups, C, eps, affine=True); compiled to the engine's GroupNorm layer (tfjs-layers has none). */
export const GroupNorm = defineBlock<GroupNormParams>({
  type: 'GroupNorm',
  category: 'normalization',
  doc: 'Group normalisation of [C,H,W]: channels split into groups, each normalised over its channels and all positions; per-channel scale and shift (2C params, no buffers).',
  params: GroupNormParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('GroupNorm', x, 3, 'an image tensor [C,H,W]');
    if (x[0] % p.groups !== 0) {
      throw new ShapeError('invalid_param', `GroupNorm: groups=${p.groups} must divide the ${x[0]} input channels of ${formatShape(x)}`);
    }
    return x;
  },
  countParams: (inputs) => ({ params: 2 * single(inputs)[0], buffers: 0 }),
  countFlops: (_inputs, out) => FLOPS_PER_ELEMENT * product(out),
  build: (p, ctx) => ([x]) => ctx.layers.groupNorm({ name: ctx.name, groups: p.groups, epsilon: p.eps }).apply(x) as typeof x,
});

const LayerNormParams = z.strictObject({
  /**
   * 'channels': over C at each position of [C,H,W] (ConvNeXt's LayerNorm2d), or over the last
   * axis of vectors [F] and tokens [N,D]. 'all': over the whole per-sample tensor, with an
   * element-wise affine of the same size (PyTorch LayerNorm(x.shape)).
   */
  normalizedShape: z.enum(['channels', 'all']).default('channels'),
  eps: z.number().positive().default(1e-5),
});
type LayerNormParams = z.infer<typeof LayerNormParams>;

/** How many elements are normalised together, which is also the size of the scale and of the shift. */
function normalizedSize(x: number[], p: LayerNormParams): number {
  if (p.normalizedShape === 'all') return product(x);
  return x.length === 3 ? x[0] : x[x.length - 1];
}

export const LayerNorm = defineBlock<LayerNormParams>({
  type: 'LayerNorm',
  category: 'normalization',
  doc: 'Layer normalisation: over the channels at each position of [C,H,W] or the last axis of [F]/[N,D] ("channels"), or over everything ("all"); learnable scale and shift of that size, no buffers.',
  params: LayerNormParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const x = single(inputs);
    if (x.length === 0) throw new ShapeError('invalid_shape', `LayerNorm: needs at least one axis, got ${formatShape(x)}`, 'in');
    return x;
  },
  countParams: (inputs, p) => ({ params: 2 * normalizedSize(single(inputs), p), buffers: 0 }),
  countFlops: (_inputs, out) => FLOPS_PER_ELEMENT * product(out),
  build(p, ctx) {
    const rank = ctx.inputShapes[0].length;
    const axis = p.normalizedShape === 'channels' ? -1 : Array.from({ length: rank }, (_, i) => tfAxis(rank, i)).sort();
    return ([x]) => ctx.tf.layers.layerNormalization({ name: ctx.name, axis, epsilon: p.eps }).apply(x) as typeof x;
  },
});
