import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { defineBlock, type BlockDefinition, type BuildContext } from './types';
import { product, single } from './shapeChecks';

/**
 * Element-wise activations: any rank, shape unchanged, no parameters. FLOPs are a fixed cost
 * per element, stated in each block's doc: ReLU 1, ReLU6 2, LeakyReLU 2, HardSigmoid 3,
 * HardSwish 4, Sigmoid 4, Tanh 5, SiLU 5, GELU 8, Softmax 5.
 */

const NoParams = z.strictObject({});
type Sym = TF.SymbolicTensor;

interface ActivationSpec<P> {
  type: string;
  doc: string;
  params: z.ZodType<P>;
  flopsPerElement: number;
  build(p: P, ctx: BuildContext, x: Sym): Sym;
}

function activation<P>(spec: ActivationSpec<P>): BlockDefinition {
  return defineBlock<P>({
    type: spec.type,
    category: 'activation',
    doc: `${spec.doc} Any shape; ${spec.flopsPerElement} FLOP${spec.flopsPerElement > 1 ? 's' : ''} per element.`,
    params: spec.params,
    inputs: [{ name: 'in', arity: 'one' }],
    outputs: ['out'],
    inferShape: (inputs) => single(inputs),
    countParams: () => ({ params: 0, buffers: 0 }),
    countFlops: (_inputs, out) => spec.flopsPerElement * product(out),
    build: (p, ctx) => ([x]) => spec.build(p, ctx, x),
  });
}

/** PyTorch's hardsigmoid, relu6(x + 3) / 6 (TF.js's own 'hardSigmoid' is the Keras 0.2·x + 0.5). */
function hardSigmoid(ctx: BuildContext, x: Sym, name: string): Sym {
  const affine = ctx.tf.layers.rescaling({ scale: 1 / 6, offset: 0.5, name: `${ctx.name}__affine` }).apply(x) as Sym;
  return ctx.tf.layers.reLU({ maxValue: 1, name }).apply(affine) as Sym;
}

export const ReLU = activation({
  type: 'ReLU',
  doc: 'Rectified linear unit, max(0, x), element-wise.',
  params: NoParams,
  flopsPerElement: 1,
  build: (_p, ctx, x) => ctx.tf.layers.reLU({ name: ctx.name }).apply(x) as Sym,
});

export const ReLU6 = activation({
  type: 'ReLU6',
  doc: 'min(max(0, x), 6), element-wise (MobileNet).',
  params: NoParams,
  flopsPerElement: 2,
  build: (_p, ctx, x) => ctx.tf.layers.reLU({ maxValue: 6, name: ctx.name }).apply(x) as Sym,
});

const LeakyReLUParams = z.strictObject({ negativeSlope: z.number().min(0).default(0.01) });

export const LeakyReLU = activation({
  type: 'LeakyReLU',
  doc: 'x for x ≥ 0, negativeSlope·x otherwise (PyTorch default slope 0.01).',
  params: LeakyReLUParams,
  flopsPerElement: 2,
  build: (p, ctx, x) => ctx.tf.layers.leakyReLU({ alpha: p.negativeSlope, name: ctx.name }).apply(x) as Sym,
});

export const Sigmoid = activation({
  type: 'Sigmoid',
  doc: 'Logistic function 1 / (1 + e^−x).',
  params: NoParams,
  flopsPerElement: 4,
  build: (_p, ctx, x) => ctx.tf.layers.activation({ activation: 'sigmoid', name: ctx.name }).apply(x) as Sym,
});

export const Tanh = activation({
  type: 'Tanh',
  doc: 'Hyperbolic tangent.',
  params: NoParams,
  flopsPerElement: 5,
  build: (_p, ctx, x) => ctx.tf.layers.activation({ activation: 'tanh', name: ctx.name }).apply(x) as Sym,
});

export const SiLU = activation({
  type: 'SiLU',
  doc: 'x · sigmoid(x), also called swish (EfficientNet).',
  params: NoParams,
  flopsPerElement: 5,
  build: (_p, ctx, x) => ctx.tf.layers.activation({ activation: 'swish', name: ctx.name }).apply(x) as Sym,
});

export const GELU = activation({
  type: 'GELU',
  doc: 'x · Φ(x) with the exact erf form, as PyTorch nn.GELU() (ViT, ConvNeXt).',
  params: NoParams,
  flopsPerElement: 8,
  build: (_p, ctx, x) => ctx.tf.layers.activation({ activation: 'gelu', name: ctx.name }).apply(x) as Sym,
});

export const HardSigmoid = activation({
  type: 'HardSigmoid',
  doc: 'relu6(x + 3) / 6, as PyTorch (not the Keras 0.2·x + 0.5).',
  params: NoParams,
  flopsPerElement: 3,
  build: (_p, ctx, x) => hardSigmoid(ctx, x, ctx.name),
});

export const HardSwish = activation({
  type: 'HardSwish',
  doc: 'x · relu6(x + 3) / 6 (MobileNetV3).',
  params: NoParams,
  flopsPerElement: 4,
  build: (_p, ctx, x) => ctx.tf.layers.multiply({ name: ctx.name }).apply([x, hardSigmoid(ctx, x, `${ctx.name}__gate`)]) as Sym,
});

export const Softmax = activation({
  type: 'Softmax',
  doc: 'Softmax over the channel axis of [C,H,W] (at each position), or over the last axis of vectors [F] and tokens [N,D].',
  params: NoParams,
  flopsPerElement: 5,
  // Channels and the last axis are both TF.js's last axis (NHWC).
  build: (_p, ctx, x) => ctx.tf.layers.softmax({ axis: -1, name: ctx.name }).apply(x) as Sym,
});
