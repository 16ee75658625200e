import { z } from 'zod';
import { defineBlock } from './types';
import { expectRank, single } from './shapeChecks';

const ClassificationHeadParams = z.strictObject({
  classes: z.number().int().min(2),
  loss: z.enum(['cross_entropy']).default('cross_entropy'),
  labelSmoothing: z.number().min(0).max(0.5).default(0),
  lossWeight: z.number().positive().default(1),
});
type ClassificationHeadParams = z.infer<typeof ClassificationHeadParams>;

/**
 * The classifier's final fully connected layer plus what training needs to know: task, loss
 * and its weight. It outputs logits; softmax is part of the loss and of prediction decoding.
 */
export const ClassificationHead = defineBlock<ClassificationHeadParams>({
  type: 'ClassificationHead',
  category: 'head',
  doc: 'Class logits from a feature vector [F], trained with cross-entropy. Its classes follow the dataset.',
  params: ClassificationHeadParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    expectRank('ClassificationHead', single(inputs), 1, 'a feature vector [F] (add GlobalAvgPool before it)');
    return [p.classes];
  },
  countParams: (inputs, p) => ({ params: single(inputs)[0] * p.classes + p.classes, buffers: 0 }),
  countFlops: (inputs, _out, p) => 2 * single(inputs)[0] * p.classes + p.classes,
  build: (p, ctx) => ([x]) => ctx.tf.layers.dense({ name: ctx.name, units: p.classes }).apply(x) as typeof x,
  head: (p) => ({ task: 'classification', loss: p.loss, lossWeight: p.lossWeight }),
});
