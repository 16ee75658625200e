import { z } from 'zod';
import { defineComposite } from '../composite';
import { single } from '../shapeChecks';
import { SubgraphBuilder } from './subgraphBuilder';

const positiveInt = z.number().int().positive();
const ACTIVATIONS = { relu: 'ReLU', relu6: 'ReLU6', silu: 'SiLU', hardswish: 'HardSwish' } as const;

/** torchvision's `_make_divisible`: round to the nearest multiple of `divisor`, never more than 10 % below `value`. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

const InvertedResidualParams = z.strictObject({
  outChannels: positiveInt,
  /** Width of the depthwise stage as a multiple of the input channels (MobileNetV2: 6)… */
  expandRatio: z.number().positive().default(6),
  /** …or given exactly (MobileNetV3's tables), which wins over expandRatio. */
  expandedChannels: positiveInt.optional(),
  kernel: positiveInt.default(3),
  stride: positiveInt.default(1),
  activation: z.enum(['relu', 'relu6', 'silu', 'hardswish']).default('relu6'),
  /** Squeeze-excite: off, or squeeze width = base/4 where base is the block input (EfficientNet) or the expanded width (MobileNetV3, rounded to 8). */
  se: z.enum(['none', 'input', 'expanded']).default('none'),
  seActivation: z.enum(['relu', 'silu']).default('relu'),
  seGate: z.enum(['sigmoid', 'hardsigmoid']).default('sigmoid'),
});
type InvertedResidualParams = z.infer<typeof InvertedResidualParams>;

/** MobileNetV2/V3 and EfficientNet's MBConv, as torchvision builds them. */
export const InvertedResidual = defineComposite<InvertedResidualParams>({
  type: 'InvertedResidual',
  category: 'group',
  doc: 'MBConv: 1×1 expand-BN-act (skipped when it would not widen), depthwise k×k-BN-act, optional squeeze-excite, 1×1 project-BN; the input is added back when stride is 1 and channels match.',
  params: InvertedResidualParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  expand(p, inputs) {
    const inChannels = single(inputs)[0];
    const hidden = p.expandedChannels ?? Math.round(inChannels * p.expandRatio);
    const act = ACTIVATIONS[p.activation];
    const b = new SubgraphBuilder('Inverted residual (MBConv)');
    const input = b.input();
    let x = input;
    if (hidden !== inChannels) {
      x = b.add('expand_conv', 'Conv2d', { outChannels: hidden, kernel: 1, padding: 0, bias: false }, [x]);
      x = b.add('expand_act', act, {}, [b.add('expand_bn', 'BatchNorm', {}, [x])]);
    }
    x = b.add('dw_conv', 'DepthwiseConv2d', { kernel: p.kernel, stride: p.stride, padding: (p.kernel - 1) / 2, bias: false }, [x]);
    x = b.add('dw_act', act, {}, [b.add('dw_bn', 'BatchNorm', {}, [x])]);
    if (p.se !== 'none') {
      const squeezeChannels = p.se === 'input' ? Math.max(1, Math.floor(inChannels / 4)) : makeDivisible(Math.floor(hidden / 4));
      x = b.add('se', 'SqueezeExcite', { squeezeChannels, activation: p.seActivation, gate: p.seGate }, [x]);
    }
    x = b.add('project_conv', 'Conv2d', { outChannels: p.outChannels, kernel: 1, padding: 0, bias: false }, [x]);
    x = b.add('project_bn', 'BatchNorm', {}, [x]);
    if (p.stride === 1 && inChannels === p.outChannels) x = b.add('add', 'Add', {}, [x, input]);
    return b.output(x);
  },
});

const ConvNeXtBlockParams = z.strictObject({
  kernel: positiveInt.default(7),
  expansion: positiveInt.default(4),
  layerScale: z.number().default(1e-6),
  dropPath: z.number().min(0).lt(1).default(0),
});

/** ConvNeXt's block; torchvision's channels-last Linear layers are 1×1 convs here (same weights). */
export const ConvNeXtBlock = defineComposite<z.infer<typeof ConvNeXtBlockParams>>({
  type: 'ConvNeXtBlock',
  category: 'group',
  doc: 'ConvNeXt block: depthwise 7×7, LayerNorm over channels, 1×1 expand ×4, GELU, 1×1 project, layer scale, stochastic depth, plus the input.',
  params: ConvNeXtBlockParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  expand(p, inputs) {
    const channels = single(inputs)[0];
    const b = new SubgraphBuilder('ConvNeXt block');
    const input = b.input();
    let x = b.add('dw_conv', 'DepthwiseConv2d', { kernel: p.kernel, padding: (p.kernel - 1) / 2, bias: true }, [input]);
    x = b.add('norm', 'LayerNorm', { normalizedShape: 'channels', eps: 1e-6 }, [x]);
    x = b.add('pw_expand', 'Conv2d', { outChannels: p.expansion * channels, kernel: 1, padding: 0, bias: true }, [x]);
    x = b.add('gelu', 'GELU', {}, [x]);
    x = b.add('pw_project', 'Conv2d', { outChannels: channels, kernel: 1, padding: 0, bias: true }, [x]);
    x = b.add('layer_scale', 'LayerScale', { init: p.layerScale }, [x]);
    if (p.dropPath > 0) x = b.add('drop_path', 'DropPath', { rate: p.dropPath }, [x]);
    return b.output(b.add('add', 'Add', {}, [x, input]));
  },
});
