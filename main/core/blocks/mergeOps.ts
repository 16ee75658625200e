import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock, type Shape } from './types';
import { product } from './shapeChecks';
import { normalizeAxis, tfAxis } from './layout';

type Sym = TF.SymbolicTensor;

const ConcatParams = z.strictObject({
  /** Per-sample IR axis to join along; 0 is the channels of [C,H,W] (and the tokens of [N,D]); negative counts from the end. */
  axis: z.number().int().default(0),
});
type ConcatParams = z.infer<typeof ConcatParams>;

function concatAxis(shapes: Shape[], axis: number): number {
  const first = shapes[0];
  const a = normalizeAxis(axis, first.length);
  if (a === null) throw new ShapeError('invalid_param', `Concat: axis ${axis} is out of range for ${formatShape(first)}`);
  for (const s of shapes.slice(1)) {
    if (s.length !== first.length || s.some((d, i) => i !== a && d !== first[i])) {
      throw new ShapeError('shape_mismatch', `Concat: input shapes ${shapes.map(formatShape).join(' and ')} differ outside axis ${a}`, 'in');
    }
  }
  return a;
}

export const Concat = defineBlock<ConcatParams>({
  type: 'Concat',
  category: 'merge',
  doc: 'Joins two or more tensors along one axis (channels by default, as in DenseNet and U-Net); every other axis must match.',
  params: ConcatParams,
  inputs: [{ name: 'in', arity: 'many', min: 2 }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const a = concatAxis(inputs.in, p.axis);
    const out = [...inputs.in[0]];
    out[a] = inputs.in.reduce((n, s) => n + s[a], 0);
    return out;
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  build(p, ctx) {
    const rank = ctx.inputShapes[0].length;
    const axis = tfAxis(rank, normalizeAxis(p.axis, rank)!);
    return (xs) => ctx.tf.layers.concatenate({ axis, name: ctx.name }).apply(xs) as Sym;
  },
});

/** How an input enters a Multiply: the full shape itself, or a per-channel gate [C,1,1] / [C] of a [C,H,W] tensor. */
function gateKind(s: Shape, full: Shape): 'full' | 'gate' | null {
  if (s.length === full.length && s.every((d, i) => d === full[i])) return 'full';
  if (full.length === 3 && s[0] === full[0] && ((s.length === 3 && s[1] === 1 && s[2] === 1) || s.length === 1)) return 'gate';
  return null;
}

function fullShape(shapes: Shape[]): Shape {
  return shapes.reduce((a, b) => (product(b) > product(a) ? b : a));
}

export const Multiply = defineBlock({
  type: 'Multiply',
  category: 'merge',
  doc: 'Element-wise product of two or more tensors of one shape; a per-channel gate [C,1,1] or [C] broadcasts over a [C,H,W] input (squeeze-and-excitation, attention gates).',
  params: z.strictObject({}),
  inputs: [{ name: 'in', arity: 'many', min: 2 }],
  outputs: ['out'],
  inferShape(inputs) {
    const full = fullShape(inputs.in);
    for (const s of inputs.in) {
      if (gateKind(s, full) === null) {
        throw new ShapeError('shape_mismatch', `Multiply: input ${formatShape(s)} neither equals ${formatShape(full)} nor is a per-channel gate [${full[0]},1,1] or [${full[0]}] of it`, 'in');
      }
    }
    return [...full];
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: (inputs, out) => (inputs.in.length - 1) * product(out),
  build(_p, ctx) {
    const full = fullShape(ctx.inputShapes);
    return (xs) => {
      // A [C] gate becomes [1,1,C] so it broadcasts over NHWC like PyTorch's [C,1,1].
      const aligned = xs.map((x, i) =>
        ctx.inputShapes[i].length === 1 && full.length === 3
          ? (ctx.tf.layers.reshape({ targetShape: [1, 1, full[0]], name: `${ctx.name}__gate${i}` }).apply(x) as Sym)
          : x,
      );
      return ctx.tf.layers.multiply({ name: ctx.name }).apply(aligned) as Sym;
    };
  },
});
