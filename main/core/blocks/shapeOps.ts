import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { product, single } from './shapeChecks';
import { tfAxis, tfShape, toChannelsFirst, toChannelsLast } from './layout';

type Sym = TF.SymbolicTensor;

/**
 * Flatten and Reshape follow PyTorch's element order (channels first). TF.js holds images as
 * NHWC, whose plain flatten order is H,W,C; the compiled model therefore permutes a [C,H,W]
 * input to NCHW first (and back to NHWC after a reshape to [C,H,W]), so that weights of a
 * following Linear layer line up with PyTorch's.
 */
export const Flatten = defineBlock({
  type: 'Flatten',
  category: 'shape',
  doc: 'Flattens a per-sample tensor to a vector: [C,H,W] → [C·H·W], in PyTorch\'s channels-first order (the compiled model permutes NHWC to NCHW first).',
  params: z.strictObject({}),
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape: (inputs) => [product(single(inputs))],
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build: (_p, ctx) => ([x]) =>
    ctx.tf.layers.flatten({ name: ctx.name }).apply(toChannelsFirst(ctx, x, ctx.inputShapes[0].length, 'chw')) as Sym,
});

const ReshapeParams = z.strictObject({
  /** Target per-sample shape; one entry may be −1 (inferred from the element count). */
  shape: z.array(z.number().int().refine((d) => d === -1 || d > 0, 'must be positive or −1')).min(1),
});
type ReshapeParams = z.infer<typeof ReshapeParams>;

function reshapeTarget(x: number[], target: number[]): number[] {
  const free = target.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError('invalid_param', `Reshape: at most one −1 is allowed in ${formatShape(target)}`);
  const total = product(x);
  const known = product(target.filter((d) => d !== -1));
  if (free === 1) {
    if (total % known !== 0) {
      throw new ShapeError('shape_mismatch', `Reshape: ${total} elements of ${formatShape(x)} cannot fill ${formatShape(target)}`, 'in');
    }
    return target.map((d) => (d === -1 ? total / known : d));
  }
  if (known !== total) {
    throw new ShapeError('shape_mismatch', `Reshape: ${formatShape(x)} has ${total} elements but ${formatShape(target)} needs ${known}`, 'in');
  }
  return [...target];
}

export const Reshape = defineBlock<ReshapeParams>({
  type: 'Reshape',
  category: 'shape',
  doc: 'Reinterprets the per-sample tensor with a new shape of the same element count, in channels-first (PyTorch) element order; one −1 is inferred.',
  params: ReshapeParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape: (inputs, p) => reshapeTarget(single(inputs), p.shape),
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build(p, ctx) {
    const inShape = ctx.inputShapes[0];
    const out = reshapeTarget(inShape, p.shape);
    return ([x]) => {
      const chw = toChannelsFirst(ctx, x, inShape.length, 'chw');
      const finalName = out.length === 3 ? `${ctx.name}__reshape` : ctx.name;
      const y = ctx.tf.layers.reshape({ targetShape: out, name: finalName }).apply(chw) as Sym;
      return toChannelsLast(ctx, y, out.length, ctx.name);
    };
  },
});

const PermuteParams = z.strictObject({
  /** New order of the per-sample axes: output axis i is input axis dims[i] (PyTorch x.permute(0, *[d+1 for d in dims])). */
  dims: z.array(z.number().int().nonnegative()).min(1),
});
type PermuteParams = z.infer<typeof PermuteParams>;

function checkPermutation(x: number[], dims: number[]): void {
  const sorted = [...dims].sort((a, b) => a - b);
  if (dims.length !== x.length || sorted.some((d, i) => d !== i)) {
    throw new ShapeError('invalid_param', `Permute: dims ${formatShape(dims)} is not a permutation of the ${x.length} axes of ${formatShape(x)}`);
  }
}

export const Permute = defineBlock<PermuteParams>({
  type: 'Permute',
  category: 'shape',
  doc: 'Reorders the per-sample axes: output axis i is input axis dims[i] (e.g. [1,0] turns tokens [N,D] into [D,N]).',
  params: PermuteParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    checkPermutation(x, p.dims);
    return p.dims.map((d) => x[d]);
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build(p, ctx) {
    const rank = p.dims.length;
    // TF axis j of the output holds IR output axis i (tfAxis(rank, i) = j + 1), i.e. IR input axis dims[i].
    const tfDims = Array.from({ length: rank }, (_, j) => {
      const i = Array.from({ length: rank }, (_, k) => k).find((k) => tfAxis(rank, k) === j + 1)!;
      return tfAxis(rank, p.dims[i]);
    });
    return ([x]) => ctx.tf.layers.permute({ dims: tfDims, name: ctx.name }).apply(x) as Sym;
  },
});

const RateParams = z.strictObject({ rate: z.number().min(0).lt(1).default(0.1) });
type RateParams = z.infer<typeof RateParams>;

export const Dropout = defineBlock<RateParams>({
  type: 'Dropout',
  category: 'regularization',
  doc: 'While training, zeroes each element with probability rate and scales the rest by 1/(1−rate); identity at inference. Any shape.',
  params: RateParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape: (inputs) => single(inputs),
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build: (p, ctx) => ([x]) => ctx.tf.layers.dropout({ rate: p.rate, name: ctx.name }).apply(x) as Sym,
});

export const DropPath = defineBlock<RateParams>({
  type: 'DropPath',
  category: 'regularization',
  doc: 'Stochastic depth: while training, zeroes a whole sample\'s tensor with probability rate (put it on a residual branch before the Add) and scales kept samples by 1/(1−rate).',
  params: RateParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape: (inputs) => single(inputs),
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build(p, ctx) {
    // A dropout mask of shape [B,1,...,1]: one draw per sample (null takes the batch size).
    const noiseShape = [null, ...tfShape(ctx.inputShapes[0]).map(() => 1)] as unknown as number[];
    return ([x]) => ctx.tf.layers.dropout({ rate: p.rate, noiseShape, name: ctx.name }).apply(x) as Sym;
  },
});
