import { z } from 'zod';
import { defineBlock } from './types';

const InputParams = z.strictObject({
  channels: z.number().int().positive().default(3),
  height: z.number().int().positive().default(224),
  width: z.number().int().positive().default(224),
});
type InputParams = z.infer<typeof InputParams>;

export const Input = defineBlock<InputParams>({
  type: 'Input',
  category: 'input',
  doc: 'An image batch entering the network, one sample shaped [channels, height, width].',
  params: InputParams,
  inputs: [],
  outputs: ['out'],
  inferShape: (_inputs, p) => [p.channels, p.height, p.width],
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build: (p, ctx) => () => ctx.tf.input({ shape: [p.height, p.width, p.channels], name: ctx.name }),
});
