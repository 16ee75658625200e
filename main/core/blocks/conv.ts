import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock, type BuildContext } from './types';
import { single } from './shapeChecks';
import { atrousLayerConfig, padForTf, windowParamFields, windowedOutput } from './convWindow';

export { PaddingSchema, convOutputSize, tfPadding, type Padding } from './convWindow';

const positiveInt = z.number().int().positive();

const Conv2dParams = z.strictObject({
  outChannels: positiveInt,
  ...windowParamFields,
  groups: positiveInt.default(1),
  bias: z.boolean().default(true),
});
type Conv2dParams = z.infer<typeof Conv2dParams>;

export const Conv2d = defineBlock<Conv2dParams>({
  type: 'Conv2d',
  category: 'convolution',
  doc: '2-D convolution over [C,H,W]. Padding is "same", "valid" or an explicit count per side; dilation spreads the kernel (atrous convolution); groups split channels.',
  params: Conv2dParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    const [oh, ow] = windowedOutput('Conv2d', x, p);
    if (x[0] % p.groups !== 0 || p.outChannels % p.groups !== 0) {
      throw new ShapeError('invalid_param', `Conv2d: groups=${p.groups} must divide input channels ${x[0]} and outChannels ${p.outChannels}`);
    }
    if (oh <= 0 || ow <= 0) throw new ShapeError('invalid_shape', `Conv2d: output size ${oh}x${ow} is not positive for input ${formatShape(x)}`, 'in');
    return [p.outChannels, oh, ow];
  },
  countParams(inputs, p) {
    const c = single(inputs)[0];
    return { params: p.kernel * p.kernel * (c / p.groups) * p.outChannels + (p.bias ? p.outChannels : 0), buffers: 0 };
  },
  countFlops(inputs, out, p) {
    const c = single(inputs)[0];
    const positions = out[1] * out[2];
    const macs = p.kernel * p.kernel * (c / p.groups) * p.outChannels * positions;
    return 2 * macs + (p.bias ? p.outChannels * positions : 0);
  },
  build(p, ctx: BuildContext) {
    if (p.groups !== 1) throw new Error(`Conv2d "${ctx.name}": grouped convolution is not compiled yet`);
    if (p.dilation > 1) {
      return ([x]) => ctx.layers.dilatedConv2d({ ...atrousLayerConfig(ctx, p), filters: p.outChannels, useBias: p.bias }).apply(x) as typeof x;
    }
    const { mode, apply } = padForTf(ctx, p);
    return ([x]) =>
      ctx.tf.layers
        .conv2d({
          name: ctx.name,
          filters: p.outChannels,
          kernelSize: p.kernel,
          strides: p.stride,
          padding: mode,
          useBias: p.bias,
          kernelInitializer: 'heNormal',
        })
        .apply(apply(x)) as typeof x;
  },
});
