import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { expectRank, single } from './shapeChecks';
import { atrousLayerConfig, padForTf, windowParamFields, windowedOutput } from './convWindow';

const positiveInt = z.number().int().positive();

const DepthwiseParams = z.strictObject({
  ...windowParamFields,
  /** Output channels per input channel (PyTorch: out_channels = multiplier · in_channels, groups = in_channels). */
  depthMultiplier: positiveInt.default(1),
  bias: z.boolean().default(true),
});
type DepthwiseParams = z.infer<typeof DepthwiseParams>;

export const DepthwiseConv2d = defineBlock<DepthwiseParams>({
  type: 'DepthwiseConv2d',
  category: 'convolution',
  doc: 'Depthwise 2-D convolution: each channel is filtered on its own (Conv2d with groups = C), giving C·depthMultiplier channels. Params K·K·C·M (+ C·M bias).',
  params: DepthwiseParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    const [oh, ow] = windowedOutput('DepthwiseConv2d', x, p);
    return [x[0] * p.depthMultiplier, oh, ow];
  },
  countParams(inputs, p) {
    const out = single(inputs)[0] * p.depthMultiplier;
    return { params: p.kernel * p.kernel * out + (p.bias ? out : 0), buffers: 0 };
  },
  countFlops(_inputs, out, p) {
    const elements = out[0] * out[1] * out[2];
    return 2 * p.kernel * p.kernel * elements + (p.bias ? elements : 0);
  },
  build(p, ctx) {
    // tf.layers.depthwiseConv2d ignores dilationRate (TF.js 4.22) and tfjs-core cannot differentiate a dilated depthwise conv.
    if (p.dilation > 1) {
      return ([x]) => ctx.layers.dilatedDepthwiseConv2d({ ...atrousLayerConfig(ctx, p), depthMultiplier: p.depthMultiplier, useBias: p.bias }).apply(x) as typeof x;
    }
    const { mode, apply } = padForTf(ctx, p);
    return ([x]) =>
      ctx.tf.layers
        .depthwiseConv2d({
          name: ctx.name,
          kernelSize: p.kernel,
          strides: p.stride,
          padding: mode,
          depthMultiplier: p.depthMultiplier,
          useBias: p.bias,
          depthwiseInitializer: 'heNormal',
        })
        .apply(apply(x)) as typeof x;
  },
});

const SeparableParams = DepthwiseParams.extend({
  outChannels: positiveInt,
  /** Bias of the pointwise convolution; the depthwise step has none (as in TF.js/Keras). */
  bias: z.boolean().default(true),
});
type SeparableParams = z.infer<typeof SeparableParams>;

export const SeparableConv2d = defineBlock<SeparableParams>({
  type: 'SeparableConv2d',
  category: 'convolution',
  doc: 'Depthwise K×K convolution (no bias) followed by a pointwise 1×1 convolution to outChannels. Params K·K·C·M + C·M·O (+ O bias).',
  params: SeparableParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const [oh, ow] = windowedOutput('SeparableConv2d', single(inputs), p);
    return [p.outChannels, oh, ow];
  },
  countParams(inputs, p) {
    const mid = single(inputs)[0] * p.depthMultiplier;
    return { params: p.kernel * p.kernel * mid + mid * p.outChannels + (p.bias ? p.outChannels : 0), buffers: 0 };
  },
  countFlops(inputs, out, p) {
    const mid = single(inputs)[0] * p.depthMultiplier;
    const positions = out[1] * out[2];
    return 2 * positions * (p.kernel * p.kernel * mid + mid * p.outChannels) + (p.bias ? p.outChannels * positions : 0);
  },
  build(p, ctx) {
    if (p.dilation > 1) {
      // A dilated depthwise conv has no TF.js gradient: the engine's atrous depthwise layer, then the pointwise conv.
      return ([x]) => {
        const depthwise = ctx.layers.dilatedDepthwiseConv2d({ ...atrousLayerConfig(ctx, p, `${ctx.name}__depthwise`), depthMultiplier: p.depthMultiplier, useBias: false });
        const pointwise = ctx.tf.layers.conv2d({ name: ctx.name, filters: p.outChannels, kernelSize: 1, useBias: p.bias });
        return pointwise.apply(depthwise.apply(x)) as typeof x;
      };
    }
    const { mode, apply } = padForTf(ctx, p);
    return ([x]) =>
      ctx.tf.layers
        .separableConv2d({
          name: ctx.name,
          filters: p.outChannels,
          kernelSize: p.kernel,
          strides: p.stride,
          padding: mode,
          depthMultiplier: p.depthMultiplier,
          useBias: p.bias,
        })
        .apply(apply(x)) as typeof x;
  },
});

const ConvTransposeParams = z.strictObject({
  outChannels: positiveInt,
  kernel: positiveInt.default(2),
  stride: positiveInt.default(2),
  /** PyTorch's padding: rows/columns removed from each side of the full output. */
  padding: z.number().int().nonnegative().default(0),
  /** Extra rows/columns added at the bottom/right; must be smaller than the stride. */
  outputPadding: z.number().int().nonnegative().default(0),
  bias: z.boolean().default(true),
});
type ConvTransposeParams = z.infer<typeof ConvTransposeParams>;

/** PyTorch's transposed-convolution output size: (W − 1)·S − 2P + K + outputPadding. */
export function convTransposeOutputSize(size: number, kernel: number, stride: number, padding: number, outputPadding: number): number {
  return (size - 1) * stride - 2 * padding + kernel + outputPadding;
}

export const ConvTranspose2d = defineBlock<ConvTransposeParams>({
  type: 'ConvTranspose2d',
  category: 'convolution',
  doc: 'Transposed ("up") convolution as in PyTorch: output (W−1)·S − 2P + K + outputPadding. Params K·K·C·O (+ O bias). Where outputPadding > padding the extra border rows hold 0 in TF.js rather than the bias.',
  params: ConvTransposeParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('ConvTranspose2d', x, 3, 'an image tensor [C,H,W]');
    if (p.outputPadding >= p.stride) {
      throw new ShapeError('invalid_param', `ConvTranspose2d: outputPadding ${p.outputPadding} must be smaller than stride ${p.stride}`);
    }
    const oh = convTransposeOutputSize(x[1], p.kernel, p.stride, p.padding, p.outputPadding);
    const ow = convTransposeOutputSize(x[2], p.kernel, p.stride, p.padding, p.outputPadding);
    if (oh <= 0 || ow <= 0) {
      throw new ShapeError('invalid_shape', `ConvTranspose2d: output size ${oh}x${ow} is not positive for input ${formatShape(x)} with padding ${p.padding}`, 'in');
    }
    return [p.outChannels, oh, ow];
  },
  countParams: (inputs, p) => ({ params: p.kernel * p.kernel * single(inputs)[0] * p.outChannels + (p.bias ? p.outChannels : 0), buffers: 0 }),
  countFlops(inputs, out, p) {
    const [c, h, w] = single(inputs);
    return 2 * p.kernel * p.kernel * c * p.outChannels * h * w + (p.bias ? out[0] * out[1] * out[2] : 0);
  },
  build(p, ctx) {
    const [, h, w] = ctx.inputShapes[0];
    // TF.js 'valid' gives W·S + max(K − S, 0) ≥ (W − 1)·S + K; crop P at the top/left and the rest at the bottom/right.
    const tfOut = (n: number) => n * p.stride + Math.max(p.kernel - p.stride, 0);
    const want = (n: number) => convTransposeOutputSize(n, p.kernel, p.stride, p.padding, p.outputPadding);
    const tail = [tfOut(h) - p.padding - want(h), tfOut(w) - p.padding - want(w)];
    const identity = p.padding === 0 && tail[0] === 0 && tail[1] === 0;
    return ([x]) => {
      const y = ctx.tf.layers
        .conv2dTranspose({ name: identity ? ctx.name : `${ctx.name}__deconv`, filters: p.outChannels, kernelSize: p.kernel, strides: p.stride, padding: 'valid', useBias: p.bias })
        .apply(x) as typeof x;
      if (identity) return y;
      const crop = ctx.tf.layers.cropping2D({ name: tail.some((t) => t < 0) ? `${ctx.name}__crop` : ctx.name, cropping: [[p.padding, Math.max(tail[0], 0)], [p.padding, Math.max(tail[1], 0)]] }).apply(y) as typeof x;
      if (tail.every((t) => t >= 0)) return crop;
      return ctx.tf.layers.zeroPadding2d({ name: ctx.name, padding: [[0, Math.max(-tail[0], 0)], [0, Math.max(-tail[1], 0)]] }).apply(crop) as typeof x;
    };
  },
});
