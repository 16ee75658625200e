/**
 * The two sublayers of a Transformer encoder block, on token sequences [N,D]. Parameter
 * counts follow PyTorch (torch.nn.MultiheadAttention and torchvision's MLPBlock).
 *
 * FLOP conventions (per sample, a multiply-add = 2 FLOPs): every matrix product counts
 * 2·M·K·N and a bias adds one FLOP per output element, as Linear does; attention adds
 * 1 FLOP per score for the 1/√d scale and 3 per score for the softmax (exp, sum, divide);
 * the activation counts as the GELU and ReLU blocks do (8 and 1 FLOPs per element); dropout
 * counts nothing.
 */
import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { expectRank, single } from './shapeChecks';

const positiveInt = z.number().int().positive();
const dropoutRate = z.number().min(0).lt(1);

/** Checks a token sequence [N,D] and returns it. */
function tokens(blockType: string, x: number[]): [number, number] {
  expectRank(blockType, x, 2, 'a token sequence [N,D]');
  return [x[0], x[1]];
}

const MultiHeadSelfAttentionParams = z.strictObject({
  /** Number of heads; must divide the token dimension D. */
  heads: positiveInt.default(8),
  /** Bias on the query/key/value projections (PyTorch's bias=True projects all four with bias). */
  qkvBias: z.boolean().default(true),
  /** Dropout on the attention weights. */
  dropout: dropoutRate.default(0),
});
type MultiHeadSelfAttentionParams = z.infer<typeof MultiHeadSelfAttentionParams>;

/**
 * Multi-head self-attention over [N,D]: one fused D→3D projection for Q, K, V, scaled
 * dot-product attention per head, and a D→D output projection (with bias, as in
 * torch.nn.MultiheadAttention). TF.js has no trainable multi-head attention layer: the block
 * compiles to the engine's MultiHeadSelfAttention layer.
 */
export const MultiHeadSelfAttention = defineBlock<MultiHeadSelfAttentionParams>({
  type: 'MultiHeadSelfAttention',
  category: 'attention',
  doc: 'Multi-head self-attention over tokens [N,D] → [N,D]; the heads must divide D. Parameters 3D²+3D (Q,K,V) + D²+D (output), as torch.nn.MultiheadAttention.',
  params: MultiHeadSelfAttentionParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    const [, d] = tokens('MultiHeadSelfAttention', x);
    if (d % p.heads !== 0) {
      throw new ShapeError('invalid_param', `MultiHeadSelfAttention: heads=${p.heads} must divide the token dimension D=${d} (input ${formatShape(x)})`, 'in');
    }
    return x;
  },
  countParams(inputs, p) {
    const d = single(inputs)[1];
    return { params: 3 * d * d + (p.qkvBias ? 3 * d : 0) + d * d + d, buffers: 0 };
  },
  countFlops(inputs, _out, p) {
    const [n, d] = single(inputs);
    const qkv = 2 * n * d * 3 * d + (p.qkvBias ? n * 3 * d : 0);
    const scoresAndMix = 2 * n * n * d * 2;
    const scaleAndSoftmax = 4 * p.heads * n * n;
    const proj = 2 * n * d * d + n * d;
    return qkv + scoresAndMix + scaleAndSoftmax + proj;
  },
  build: (p, ctx) => ([x]) =>
    ctx.layers.multiHeadSelfAttention({ name: ctx.name, heads: p.heads, qkvBias: p.qkvBias, dropout: p.dropout }).apply(x) as typeof x,
});

const MLPParams = z.strictObject({
  /** Hidden width H; when absent, H = round(ratio · D). */
  hiddenDim: positiveInt.optional(),
  ratio: z.number().positive().default(4),
  activation: z.enum(['gelu', 'relu']).default('gelu'),
  /** Dropout after the activation and after the output layer (torchvision's MLPBlock). */
  dropout: dropoutRate.default(0),
});
type MLPParams = z.infer<typeof MLPParams>;

/** FLOPs per element of each activation, as the GELU and ReLU blocks count them. */
const ACTIVATION_FLOPS = { gelu: 8, relu: 1 } as const;

function hiddenWidth(d: number, p: MLPParams): number {
  return p.hiddenDim ?? Math.max(1, Math.round(p.ratio * d));
}

/** Linear D→H, activation, dropout, Linear H→D, dropout, applied to every token. */
export const MLP = defineBlock<MLPParams>({
  type: 'MLP',
  category: 'transformer',
  doc: 'Transformer feed-forward on every token: Linear D→H, GELU (or ReLU), dropout, Linear H→D, dropout; [N,D] → [N,D] with D·H+H+H·D+D parameters. H is hiddenDim, or ratio·D (4 by default).',
  params: MLPParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const x = single(inputs);
    tokens('MLP', x);
    return x;
  },
  countParams(inputs, p) {
    const d = single(inputs)[1];
    const h = hiddenWidth(d, p);
    return { params: d * h + h + h * d + d, buffers: 0 };
  },
  countFlops(inputs, _out, p) {
    const [n, d] = single(inputs);
    const h = hiddenWidth(d, p);
    return n * (2 * d * h + h + ACTIVATION_FLOPS[p.activation] * h + 2 * h * d + d);
  },
  build: (p, ctx) => ([x]) => {
    const { tf, name } = ctx;
    const d = ctx.inputShapes[0][1];
    let y = tf.layers.dense({ name: `${name}__fc1`, units: hiddenWidth(d, p), activation: p.activation }).apply(x) as typeof x;
    if (p.dropout > 0) y = tf.layers.dropout({ name: `${name}__drop1`, rate: p.dropout }).apply(y) as typeof x;
    y = tf.layers.dense({ name: p.dropout > 0 ? `${name}__fc2` : name, units: d }).apply(y) as typeof x;
    return p.dropout > 0 ? (tf.layers.dropout({ name, rate: p.dropout }).apply(y) as typeof x) : y;
  },
});
