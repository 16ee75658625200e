import { z } from 'zod';
import { defineComposite } from '../composite';
import { single } from '../shapeChecks';
import { SubgraphBuilder } from './subgraphBuilder';

const ASPPParams = z.strictObject({
  outChannels: z.number().int().positive().default(256),
  rates: z.array(z.number().int().positive()).min(1).default([6, 12, 18]),
  dropout: z.number().min(0).lt(1).default(0.5),
});

/** DeepLabV3's atrous spatial pyramid pooling, as torchvision's ASPP. */
export const ASPP = defineComposite<z.infer<typeof ASPPParams>>({
  type: 'ASPP',
  category: 'group',
  doc: 'Atrous spatial pyramid pooling (DeepLabV3): a 1×1 branch, one dilated 3×3 branch per rate and an image-pooling branch, each conv-BN-ReLU, concatenated and projected by 1×1 conv-BN-ReLU with dropout.',
  params: ASPPParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  expand(p, inputs) {
    const [channels, height, width] = single(inputs);
    const b = new SubgraphBuilder('ASPP');
    const input = b.input();
    const convBnRelu = (id: string, from: string, kernel: number, dilation: number) => {
      const conv = b.add(`${id}_conv`, 'Conv2d', { outChannels: p.outChannels, kernel, padding: kernel === 1 ? 0 : dilation, dilation, bias: false }, [from]);
      return b.add(`${id}_relu`, 'ReLU', {}, [b.add(`${id}_bn`, 'BatchNorm', {}, [conv])]);
    };
    const branches = [convBnRelu('b0', input, 1, 1), ...p.rates.map((rate, i) => convBnRelu(`b${i + 1}`, input, 3, rate))];
    const pooled = b.add('pool_reshape', 'Reshape', { shape: [channels, 1, 1] }, [b.add('pool', 'GlobalAvgPool', {}, [input])]);
    branches.push(b.add('pool_upsample', 'Upsample', { size: [height, width], mode: 'bilinear' }, [convBnRelu('pool', pooled, 1, 1)]));
    const merged = b.add('concat', 'Concat', {}, branches);
    const projected = convBnRelu('project', merged, 1, 1);
    return b.output(p.dropout > 0 ? b.add('dropout', 'Dropout', { rate: p.dropout }, [projected]) : projected);
  },
});
