import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { defineBlock } from './types';
import { expectRank, single } from './shapeChecks';

type Sym = TF.SymbolicTensor;

const SqueezeExciteParams = z.strictObject({
  /** Width of the bottleneck between the two 1×1 convolutions. */
  squeezeChannels: z.number().int().positive(),
  activation: z.enum(['relu', 'silu']).default('relu'),
  gate: z.enum(['sigmoid', 'hardsigmoid']).default('sigmoid'),
});
type SqueezeExciteParams = z.infer<typeof SqueezeExciteParams>;

/** Per-element costs, as the activation blocks count them. */
const ACT_FLOPS = { relu: 1, silu: 5 } as const;
const GATE_FLOPS = { sigmoid: 4, hardsigmoid: 3 } as const;

/**
 * torchvision's SqueezeExcitation: global average pool → 1×1 conv C→S (+bias) → activation →
 * 1×1 conv S→C (+bias) → gate → multiply the input per channel. The compiled model uses dense
 * layers for the 1×1 convs on the pooled vector (same weights, same count).
 */
export const SqueezeExcite = defineBlock<SqueezeExciteParams>({
  type: 'SqueezeExcite',
  category: 'attention',
  doc: 'Squeeze-and-excitation: pools [C,H,W] to [C], two 1×1 convs C→S→C with biases (C·S + S + S·C + C params), a sigmoid or hard-sigmoid gate, and rescales each channel. Output shape = input shape.',
  params: SqueezeExciteParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const x = single(inputs);
    expectRank('SqueezeExcite', x, 3, 'an image tensor [C,H,W]');
    return x;
  },
  countParams(inputs, p) {
    const c = single(inputs)[0];
    const s = p.squeezeChannels;
    return { params: c * s + s + s * c + c, buffers: 0 };
  },
  countFlops(inputs, _out, p) {
    const [c, h, w] = single(inputs);
    const s = p.squeezeChannels;
    const pool = c * h * w;
    const fc = 2 * c * s + s + 2 * s * c + c;
    return pool + fc + ACT_FLOPS[p.activation] * s + GATE_FLOPS[p.gate] * c + c * h * w;
  },
  build(p, ctx) {
    const { tf, name } = ctx;
    const c = ctx.inputShapes[0][0];
    return ([x]) => {
      const pooled = tf.layers.globalAveragePooling2d({ name: `${name}__pool` }).apply(x) as Sym;
      const squeezed = tf.layers
        .dense({ name: `${name}__fc1`, units: p.squeezeChannels, activation: p.activation === 'relu' ? 'relu' : 'swish' })
        .apply(pooled) as Sym;
      let gate: Sym;
      if (p.gate === 'sigmoid') {
        gate = tf.layers.dense({ name: `${name}__fc2`, units: c, activation: 'sigmoid' }).apply(squeezed) as Sym;
      } else {
        const logits = tf.layers.dense({ name: `${name}__fc2`, units: c }).apply(squeezed) as Sym;
        const affine = tf.layers.rescaling({ name: `${name}__affine`, scale: 1 / 6, offset: 0.5 }).apply(logits) as Sym;
        gate = tf.layers.reLU({ name: `${name}__gate`, maxValue: 1 }).apply(affine) as Sym;
      }
      const gate4d = tf.layers.reshape({ name: `${name}__gate4d`, targetShape: [1, 1, c] }).apply(gate) as Sym;
      return tf.layers.multiply({ name }).apply([x, gate4d]) as Sym;
    };
  },
});
