/**
 * Token blocks of a Vision Transformer: images become token sequences [N,D] (tokens × dim) and
 * a class token is read back out. Parameter counts follow torchvision's VisionTransformer.
 */
import { z } from 'zod';
import { ShapeError, formatShape } from '../errors';
import { defineBlock } from './types';
import { expectRank, single } from './shapeChecks';

const positiveInt = z.number().int().positive();

const PatchEmbedParams = z.strictObject({
  /** Side of the square patches; must divide the image's height and width. */
  patchSize: positiveInt.default(16),
  /** Embedding dimension D of every token. */
  dim: positiveInt.default(768),
});
type PatchEmbedParams = z.infer<typeof PatchEmbedParams>;

/** [C,H,W] → [N,D] with N = (H/p)(W/p), tokens in row-major patch order (PyTorch's flatten(2).transpose(1,2)). */
export const PatchEmbed = defineBlock<PatchEmbedParams>({
  type: 'PatchEmbed',
  category: 'transformer',
  doc: 'Cuts an image [C,H,W] into p×p patches and projects each to a D-dim token, giving [N=(H/p)(W/p), D]: a conv with kernel = stride = p, then flatten. The patch size must divide H and W.',
  params: PatchEmbedParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('PatchEmbed', x, 3, 'an image tensor [C,H,W]');
    const [, h, w] = x;
    if (h % p.patchSize !== 0 || w % p.patchSize !== 0) {
      throw new ShapeError('invalid_shape', `PatchEmbed: patch size ${p.patchSize} must divide the image height ${h} and width ${w} (input ${formatShape(x)})`, 'in');
    }
    return [(h / p.patchSize) * (w / p.patchSize), p.dim];
  },
  countParams: (inputs, p) => ({ params: p.patchSize * p.patchSize * single(inputs)[0] * p.dim + p.dim, buffers: 0 }),
  countFlops: (inputs, out, p) => out[0] * (2 * p.patchSize * p.patchSize * single(inputs)[0] * p.dim + p.dim),
  build: (p, ctx) => ([x]) => {
    const [, h, w] = ctx.inputShapes[0];
    const { tf, name } = ctx;
    const conv = tf.layers.conv2d({ name: `${name}__conv`, filters: p.dim, kernelSize: p.patchSize, strides: p.patchSize, padding: 'valid' }).apply(x) as typeof x;
    return tf.layers.reshape({ name, targetShape: [(h / p.patchSize) * (w / p.patchSize), p.dim] }).apply(conv) as typeof x;
  },
});

/** Checks a token sequence [N,D] and returns it. */
function tokens(blockType: string, x: number[]): [number, number] {
  expectRank(blockType, x, 2, 'a token sequence [N,D]');
  return [x[0], x[1]];
}

/** Prepends one learned D-dim token (torchvision's class_token, initialised to zeros); compiled to the engine's ClassToken layer. */
export const ClassToken = defineBlock({
  type: 'ClassToken',
  category: 'transformer',
  doc: 'Prepends a learned class token to a token sequence: [N,D] → [N+1,D], D parameters (initialised to zeros, as torchvision).',
  params: z.strictObject({}),
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs) {
    const [n, d] = tokens('ClassToken', single(inputs));
    return [n + 1, d];
  },
  countParams: (inputs) => ({ params: single(inputs)[1], buffers: 0 }),
  countFlops: () => 0,
  build: (_p, ctx) => ([x]) => ctx.layers.classToken({ name: ctx.name }).apply(x) as typeof x,
});

/** Adds a learned embedding per position (torchvision's pos_embedding, initialised N(0, 0.02²)); compiled to the engine's PositionEmbedding layer. */
export const PositionEmbedding = defineBlock({
  type: 'PositionEmbedding',
  category: 'transformer',
  doc: 'Adds a learned position embedding to every token: [N,D] → [N,D], N·D parameters (sized by the sequence it receives).',
  params: z.strictObject({}),
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape: (inputs) => {
    tokens('PositionEmbedding', single(inputs));
    return single(inputs);
  },
  countParams: (inputs) => ({ params: single(inputs)[0] * single(inputs)[1], buffers: 0 }),
  countFlops: (_inputs, out) => out[0] * out[1],
  build: (_p, ctx) => ([x]) => ctx.layers.positionEmbedding({ name: ctx.name }).apply(x) as typeof x,
});

const SelectTokenParams = z.strictObject({
  /** Which token to keep; 0 is the class token. */
  index: z.number().int().nonnegative().default(0),
});
type SelectTokenParams = z.infer<typeof SelectTokenParams>;

/** Keeps one token of a sequence as a feature vector, e.g. the class token before a classification head. */
export const SelectToken = defineBlock<SelectTokenParams>({
  type: 'SelectToken',
  category: 'transformer',
  doc: 'Keeps one token of a sequence as a feature vector: [N,D] → [D]. Index 0 is the class token, which a ViT classifies from.',
  params: SelectTokenParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const [n, d] = tokens('SelectToken', single(inputs));
    if (p.index >= n) throw new ShapeError('invalid_shape', `SelectToken: index ${p.index} is out of range for ${n} tokens (input ${formatShape(single(inputs))})`, 'in');
    return [d];
  },
  countParams: () => ({ params: 0, buffers: 0 }),
  countFlops: () => 0,
  // TF.js has no slice layer: view [N,D] as an [N,D,1] image, crop rows to the one token, flatten.
  build: (p, ctx) => ([x]) => {
    const [n, d] = ctx.inputShapes[0];
    const { tf, name } = ctx;
    const grid = tf.layers.reshape({ name: `${name}__grid`, targetShape: [n, d, 1] }).apply(x) as typeof x;
    const crop = tf.layers.cropping2D({ name: `${name}__crop`, cropping: [[p.index, n - 1 - p.index], [0, 0]] }).apply(grid) as typeof x;
    return tf.layers.reshape({ name, targetShape: [d] }).apply(crop) as typeof x;
  },
});
