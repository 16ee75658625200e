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
  doc: 'Resizes [C,H,W] by an integer scale (default 2) or to a given [H,W], nearest or bilinear; TF.js compiles integer factors only. Sub-pixel alignment of bilinear follows TF.js (not PyTorch\'s align_corners=False); shapes match.',
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
    if (oh % x0[1] !== 0 || ow % x0[2] !== 0) {
      // tf.layers.resizing reports a wrong symbolic shape for batched input (TF.js 4.22): a custom layer is needed.
      throw new Error(`Upsample "${ctx.name}": size ${oh}x${ow} is not an integer multiple of ${x0[1]}x${x0[2]}; only integer factors are compiled yet`);
    }
    return ([x]) =>
      ctx.tf.layers.upSampling2d({ name: ctx.name, size: [oh / x0[1], ow / x0[2]], interpolation: p.mode }).apply(x) as typeof x;
  },
});
