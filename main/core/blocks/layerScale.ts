import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { product, single } from './shapeChecks';

type Sym = TF.SymbolicTensor;

const LayerScaleParams = z.strictObject({
  /** Initial value of every γ (ConvNeXt and CaiT use 1e-6, so a new residual branch starts almost silent). */
  init: z.number().default(1e-6),
});
type LayerScaleParams = z.infer<typeof LayerScaleParams>;

/** The axis that carries the channels, as LayerNorm 'channels' reads it: C of [C,H,W], the last axis of [F] and [N,D]. */
function channels(x: number[]): number {
  return x.length === 3 ? x[0] : x[x.length - 1];
}

/**
 * Layer scale (Touvron et al., CaiT; ConvNeXt's `layer_scale`): multiplies each channel by a
 * learnable γ. There is no TF.js layer for a bare per-channel scale, so the compiled model uses a
 * 1×1 depthwise convolution without bias, whose kernel is exactly the C values of γ (on NHWC the
 * channels are the last axis for every rank); vectors and tokens are reshaped to an image around it.
 */
export const LayerScale = defineBlock<LayerScaleParams>({
  type: 'LayerScale',
  category: 'regularization',
  doc: 'Per-channel learnable scale γ (ConvNeXt, CaiT), initialised to init: C params for [C,H,W], F for [F], D for tokens [N,D]. Output shape = input shape. Compiled as a 1×1 depthwise convolution without bias.',
  params: LayerScaleParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const x = single(inputs);
    if (x.length < 1 || x.length > 3) {
      throw new ShapeError('invalid_shape', `LayerScale expects [C,H,W], [F] or [N,D] but got ${formatShape(x)}`, 'in');
    }
    return x;
  },
  countParams: (inputs) => ({ params: channels(single(inputs)), buffers: 0 }),
  countFlops: (_inputs, out) => product(out),
  build(p, ctx) {
    const { tf, name } = ctx;
    const shape = ctx.inputShapes[0];
    const scale = (x: Sym, layerName: string) =>
      tf.layers
        .depthwiseConv2d({ name: layerName, kernelSize: 1, useBias: false, depthwiseInitializer: tf.initializers.constant({ value: p.init }) })
        .apply(x) as Sym;
    if (shape.length === 3) return ([x]) => scale(x, name);
    // [F] → [1,1,F] and [N,D] → [N,1,D]: the channels stay on the last axis.
    const image = shape.length === 1 ? [1, 1, shape[0]] : [shape[0], 1, shape[1]];
    return ([x]) => {
      const up = tf.layers.reshape({ name: `${name}__image`, targetShape: image }).apply(x) as Sym;
      return tf.layers.reshape({ name, targetShape: shape }).apply(scale(up, `${name}__scale`)) as Sym;
    };
  },
});
