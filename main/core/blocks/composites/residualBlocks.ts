import { z } from 'zod';
import { defineComposite } from '../composite';
import { single } from '../shapeChecks';
import { SubgraphBuilder } from './subgraphBuilder';

const positiveInt = z.number().int().positive();

/** conv (no bias) → BatchNorm → optional ReLU. */
function convBn(b: SubgraphBuilder, id: string, input: string, out: number, kernel: number, stride: number, relu: boolean): string {
  const padding = (kernel - 1) / 2;
  let x = b.add(`${id}_conv`, 'Conv2d', { outChannels: out, kernel, stride, padding, bias: false }, [input]);
  x = b.add(`${id}_bn`, 'BatchNorm', {}, [x]);
  return relu ? b.add(`${id}_relu`, 'ReLU', {}, [x]) : x;
}

/** The identity, or a 1×1 conv + BN where the block changes channels or resolution. */
function shortcut(b: SubgraphBuilder, input: string, inChannels: number, out: number, stride: number): string {
  return stride === 1 && inChannels === out ? input : convBn(b, 'down', input, out, 1, stride, false);
}

const BasicBlockParams = z.strictObject({ outChannels: positiveInt, stride: positiveInt.default(1) });

/** ResNet-18/34's block: two 3×3 convs and a shortcut. */
export const BasicBlock = defineComposite<z.infer<typeof BasicBlockParams>>({
  type: 'BasicBlock',
  category: 'group',
  doc: 'ResNet BasicBlock: 3×3 conv-BN-ReLU, 3×3 conv-BN, plus the input (through a 1×1 conv-BN when the shape changes), then ReLU.',
  params: BasicBlockParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  expand(p, inputs) {
    const b = new SubgraphBuilder('ResNet BasicBlock');
    const x = b.input();
    const main = convBn(b, 'b', convBn(b, 'a', x, p.outChannels, 3, p.stride, true), p.outChannels, 3, 1, false);
    const sum = b.add('add', 'Add', {}, [main, shortcut(b, x, single(inputs)[0], p.outChannels, p.stride)]);
    return b.output(b.add('relu', 'ReLU', {}, [sum]));
  },
});

const BottleneckParams = z.strictObject({ width: positiveInt, stride: positiveInt.default(1), expansion: positiveInt.default(4) });

/** ResNet-50's block, stride on the 3×3 conv (torchvision's v1.5). */
export const Bottleneck = defineComposite<z.infer<typeof BottleneckParams>>({
  type: 'Bottleneck',
  category: 'group',
  doc: 'ResNet Bottleneck: 1×1 reduce to width, 3×3 (carrying the stride), 1×1 expand to width·expansion, plus the shortcut, then ReLU.',
  params: BottleneckParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  expand(p, inputs) {
    const b = new SubgraphBuilder('ResNet Bottleneck');
    const x = b.input();
    const out = p.width * p.expansion;
    let main = convBn(b, 'a', x, p.width, 1, 1, true);
    main = convBn(b, 'b', main, p.width, 3, p.stride, true);
    main = convBn(b, 'c', main, out, 1, 1, false);
    const sum = b.add('add', 'Add', {}, [main, shortcut(b, x, single(inputs)[0], out, p.stride)]);
    return b.output(b.add('relu', 'ReLU', {}, [sum]));
  },
});
