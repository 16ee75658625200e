import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock, type Shape } from './types';
import { expectRank, product, single } from './shapeChecks';

const UpsampleParams = z.strictObject({
  /** Integer factor for both axes; 2 when neither scale nor size is given. */
  scale: z.number().int().positive().optional(),
  /** Output [H,W]; give either this or scale. */
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  mode: z.enum(['nearest', 'bilinear']).default('nearest'),
});
type UpsampleParams = z.infer<typeof UpsampleParams>;

function outputSize(x: Shape, p: UpsampleParams): [number, number] {
  if (p.scale !== undefined && p.size !== undefined) {
    throw new ShapeError('invalid_param', `Upsample: give scale (${p.scale}) or size ${formatShape(p.size)}, not both`);
  }
  if (p.size) return p.size;
  const s = p.scale ?? 2;
  return [x[1] * s, x[2] * s];
}

/** Bilinear interpolation reads 4 neighbours per output element: 4 multiply-adds, 8 FLOPs; nearest copies. */
const BILINEAR_FLOPS = 8;

export const Upsample = defineBlock<UpsampleParams>({
  type: 'Upsample',
  category: 'pooling',
  doc: 'Resizes [C,H,W] by an integer scale (default 2) or to a given [H,W], nearest or bilinear, as PyTorch\'s F.interpolate (bilinear with align_corners=False).',
  params: UpsampleParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('Upsample', x, 3, 'an image tensor [C,H,W]');
    return [x[0], ...outputSize(x, p)];
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: (_inputs, out, p) => (p.mode === 'bilinear' ? BILINEAR_FLOPS * product(out) : 0),
  build(p, ctx) {
    const x0 = ctx.inputShapes[0];
    const [oh, ow] = outputSize(x0, p);
    // Nearest by integer factors is a copy that tf.layers.upSampling2d does exactly as PyTorch. TF.js's
    // bilinear differs from PyTorch's and its cpu gradient fails on non-square maps; tf.layers.resizing
    // reports wrong symbolic shapes: the engine's resize layer does the rest.
    if (p.mode === 'nearest' && oh % x0[1] === 0 && ow % x0[2] === 0) {
      return ([x]) => ctx.tf.layers.upSampling2d({ name: ctx.name, size: [oh / x0[1], ow / x0[2]] }).apply(x) as typeof x;
    }
    return ([x]) => ctx.layers.resize({ name: ctx.name, size: [oh, ow], mode: p.mode }).apply(x) as typeof x;
  },
});
