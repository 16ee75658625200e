import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { ShapeError } from '../errors';
import { defineBlock, type BuildContext, type PortShapes, type Shape } from './types';
import { expectRank, single } from './shapeChecks';

/**
 * Heads of the dense and metric tasks. Each is the last layer of its branch plus what training
 * needs: task, loss and loss weight (ClassificationHead lives in heads.ts). Outputs are raw
 * (logits, box deltas, heatmaps): sigmoid/softmax belong to the losses and decoders.
 */

type Sym = TF.SymbolicTensor;

const lossWeight = z.number().positive().default(1);
const anchorSize = z.tuple([z.number().positive(), z.number().positive()]);

const DetectionHeadParams = z.strictObject({
  classes: z.number().int().min(1),
  anchorsPerCell: z.number().int().positive().default(3),
  /** Anchor [w,h] in input pixels, per level (finest first), anchorsPerCell of them each; absent: the trainer derives them from each level's stride. */
  anchorSizes: z.array(z.array(anchorSize).min(1)).min(1).optional(),
  boxCoding: z.enum(['delta_xywh']).default('delta_xywh'),
  classLoss: z.enum(['focal', 'bce']).default('focal'),
  boxLoss: z.enum(['smooth_l1', 'giou', 'ciou']).default('smooth_l1'),
  lossWeight,
});
type DetectionHeadParams = z.infer<typeof DetectionHeadParams>;

/** Values predicted per anchor: 4 box deltas (tx,ty,tw,th), 1 objectness logit, K class logits. */
const perAnchor = (p: DetectionHeadParams) => 4 + 1 + p.classes;

/** Checks every level is an image [C,H,W] and that anchorSizes (when given) has one entry of anchorsPerCell sizes per level. */
function detectionLevels(inputs: PortShapes, p: DetectionHeadParams): Shape[] {
  const levels = inputs.in;
  levels.forEach((x, i) => expectRank(`DetectionHead (level ${i})`, x, 3, 'a feature map [C,H,W] per pyramid level'));
  if (p.anchorSizes) {
    if (p.anchorSizes.length !== levels.length) {
      throw new ShapeError('invalid_param', `DetectionHead: anchorSizes lists ${p.anchorSizes.length} levels but ${levels.length} feature maps are connected`);
    }
    const bad = p.anchorSizes.findIndex((l) => l.length !== p.anchorsPerCell);
    if (bad >= 0) {
      throw new ShapeError('invalid_param', `DetectionHead: anchorSizes level ${bad} has ${p.anchorSizes[bad].length} sizes but anchorsPerCell is ${p.anchorsPerCell}`);
    }
  }
  return levels;
}

/**
 * One-stage anchor-based detection head (YOLOv3 style) over one or more pyramid levels: a 1×1
 * conv per level to A·(4+1+K) channels, predictions of all anchors listed level by level, and
 * within a level cell by cell (row-major) and anchor by anchor. The strides and grid sizes are
 * those of the connected feature maps; the trainer reads them from the graph's shapes.
 */
export const DetectionHead = defineBlock<DetectionHeadParams>({
  type: 'DetectionHead',
  category: 'head',
  doc: 'Anchor-based one-stage detection over feature maps (one edge per pyramid level, finest first): a 1×1 conv per level to A·(4+1+K) channels. Output [Σ H·W·A, 4+1+K]: box deltas (tx,ty,tw,th), objectness and K class logits for every anchor, level by level, cells row-major, anchors innermost.',
  params: DetectionHeadParams,
  inputs: [{ name: 'in', arity: 'many', min: 1 }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const levels = detectionLevels(inputs, p);
    return [levels.reduce((n, [, h, w]) => n + h * w * p.anchorsPerCell, 0), perAnchor(p)];
  },
  countParams(inputs, p) {
    const out = p.anchorsPerCell * perAnchor(p);
    return { params: inputs.in.reduce((n, [c]) => n + c * out + out, 0), buffers: 0 };
  },
  countFlops(inputs, _out, p) {
    const out = p.anchorsPerCell * perAnchor(p);
    return inputs.in.reduce((n, [c, h, w]) => n + h * w * (2 * c * out + out), 0);
  },
  build(p, ctx) {
    const { tf, name } = ctx;
    const channels = p.anchorsPerCell * perAnchor(p);
    const many = ctx.inputShapes.length > 1;
    return (xs) => {
      const levels = xs.map((x, i) => {
        const [, h, w] = ctx.inputShapes[i];
        const conv = tf.layers.conv2d({ name: `${name}__conv${i}`, filters: channels, kernelSize: 1, kernelInitializer: 'heNormal' }).apply(x) as Sym;
        // NHWC [H,W,A·(5+K)] read as [H·W·A, 5+K]: cells row-major, anchors innermost.
        const rows = tf.layers.reshape({ name: many ? `${name}__rows${i}` : name, targetShape: [h * w * p.anchorsPerCell, perAnchor(p)] });
        return rows.apply(conv) as Sym;
      });
      return many ? (tf.layers.concatenate({ name, axis: 1 }).apply(levels) as Sym) : levels[0];
    };
  },
  head: (p) => ({
    task: 'detection',
    loss: `${p.classLoss}+${p.boxLoss}`,
    lossWeight: p.lossWeight,
    detection: {
      classes: p.classes,
      anchorsPerCell: p.anchorsPerCell,
      ...(p.anchorSizes ? { anchorSizes: p.anchorSizes } : {}),
      boxCoding: p.boxCoding,
      classLoss: p.classLoss,
      boxLoss: p.boxLoss,
    },
  }),
});

/** A 1×1 conv with bias: its parameters and FLOPs over an output of `positions` cells. */
const pointwise = {
  params: (cin: number, cout: number) => cin * cout + cout,
  flops: (cin: number, cout: number, positions: number) => positions * (2 * cin * cout + cout),
};

function pointwiseConv(ctx: BuildContext, x: Sym, filters: number, name: string): Sym {
  return ctx.tf.layers.conv2d({ name, filters, kernelSize: 1, kernelInitializer: 'heNormal' }).apply(x) as Sym;
}

const SegmentationHeadParams = z.strictObject({
  classes: z.number().int().min(2),
  /** Integer bilinear upsampling of the logits, e.g. 4 for a stride-4 decoder; 1 keeps the input's size. */
  scale: z.number().int().positive().default(1),
  loss: z.enum(['ce', 'dice', 'dice_ce']).default('dice_ce'),
  /** Mask value that no loss or metric counts (unlabelled pixels). */
  ignoreIndex: z.number().int().nonnegative().default(255),
  lossWeight,
});
type SegmentationHeadParams = z.infer<typeof SegmentationHeadParams>;

/** Bilinear interpolation reads 4 neighbours per output element: 8 FLOPs, as the Upsample block counts. */
const BILINEAR_FLOPS = 8;

export const SegmentationHead = defineBlock<SegmentationHeadParams>({
  type: 'SegmentationHead',
  category: 'head',
  doc: 'Per-pixel class logits: a 1×1 conv [C,H,W] → [K,H,W], then optional bilinear upsampling by an integer scale → [K,H·s,W·s]. Trained with cross-entropy, Dice or both; pixels equal to ignoreIndex are not counted.',
  params: SegmentationHeadParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('SegmentationHead', x, 3, 'a feature map [C,H,W]');
    return [p.classes, x[1] * p.scale, x[2] * p.scale];
  },
  countParams: (inputs, p) => ({ params: pointwise.params(single(inputs)[0], p.classes), buffers: 0 }),
  countFlops(inputs, out, p) {
    const [c, h, w] = single(inputs);
    const upsample = p.scale > 1 ? BILINEAR_FLOPS * out[0] * out[1] * out[2] : 0;
    return pointwise.flops(c, p.classes, h * w) + upsample;
  },
  build: (p, ctx) => ([x]) => {
    if (p.scale === 1) return pointwiseConv(ctx, x, p.classes, ctx.name);
    const logits = pointwiseConv(ctx, x, p.classes, `${ctx.name}__conv`);
    // PyTorch-exact bilinear with a gradient on every backend (see the Upsample block).
    const [, h, w] = ctx.inputShapes[0];
    return ctx.layers.resize({ name: ctx.name, size: [h * p.scale, w * p.scale], mode: 'bilinear' }).apply(logits) as Sym;
  },
  head: (p) => ({
    task: 'segmentation',
    loss: p.loss,
    lossWeight: p.lossWeight,
    segmentation: { classes: p.classes, ignoreIndex: p.ignoreIndex, scale: p.scale },
  }),
});

const KeypointHeatmapHeadParams = z.strictObject({
  joints: z.number().int().positive(),
  /** Standard deviation of the target Gaussians, in heatmap cells. */
  sigma: z.number().positive().default(2),
  loss: z.enum(['mse']).default('mse'),
  lossWeight,
});
type KeypointHeatmapHeadParams = z.infer<typeof KeypointHeatmapHeadParams>;

export const KeypointHeatmapHead = defineBlock<KeypointHeatmapHeadParams>({
  type: 'KeypointHeatmapHead',
  category: 'head',
  doc: 'One heatmap per joint: a 1×1 conv [C,H,W] → [J,H,W], trained with MSE against Gaussians of width sigma (heatmap cells) at each visible joint; decoded by argmax.',
  params: KeypointHeatmapHeadParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    const x = single(inputs);
    expectRank('KeypointHeatmapHead', x, 3, 'a feature map [C,H,W]');
    return [p.joints, x[1], x[2]];
  },
  countParams: (inputs, p) => ({ params: pointwise.params(single(inputs)[0], p.joints), buffers: 0 }),
  countFlops: (inputs, out, p) => pointwise.flops(single(inputs)[0], p.joints, out[1] * out[2]),
  build: (p, ctx) => ([x]) => pointwiseConv(ctx, x, p.joints, ctx.name),
  head: (p) => ({ task: 'keypoints', loss: p.loss, lossWeight: p.lossWeight, keypoints: { joints: p.joints, sigma: p.sigma } }),
});

const EmbeddingHeadParams = z.strictObject({
  dim: z.number().int().positive().default(128),
  loss: z.enum(['triplet', 'contrastive']).default('triplet'),
  /** Margin of the triplet / contrastive loss, in distance between unit vectors (0..2). */
  margin: z.number().positive().max(2).default(0.2),
  lossWeight,
});
type EmbeddingHeadParams = z.infer<typeof EmbeddingHeadParams>;

/** PyTorch F.normalize's default eps: a zero vector stays zero instead of dividing by 0. */
const NORMALIZE_EPS = 1e-12;

/**
 * Metric-learning embedding: a Linear layer F → dim whose output is L2-normalised, trained with
 * a triplet or contrastive loss. TF.js has no layer that L2-normalises, and no composition of
 * stock layers does it exactly: the engine's L2Normalize layer does.
 */
export const EmbeddingHead = defineBlock<EmbeddingHeadParams>({
  type: 'EmbeddingHead',
  category: 'head',
  doc: 'Unit-length embedding of a feature vector: Linear [F] → [dim], then L2 normalisation; trained with a triplet or contrastive loss with the given margin.',
  params: EmbeddingHeadParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  inferShape(inputs, p) {
    expectRank('EmbeddingHead', single(inputs), 1, 'a feature vector [F] (add GlobalAvgPool before it)');
    return [p.dim];
  },
  countParams: (inputs, p) => ({ params: single(inputs)[0] * p.dim + p.dim, buffers: 0 }),
  // The Linear layer, then squares, a sum, and one division per element for the normalisation.
  countFlops: (inputs, _out, p) => 2 * single(inputs)[0] * p.dim + p.dim + 3 * p.dim,
  build: (p, ctx) => ([x]) => {
    const linear = ctx.tf.layers.dense({ name: `${ctx.name}__linear`, units: p.dim }).apply(x) as Sym;
    return ctx.layers.l2Normalize({ name: ctx.name, epsilon: NORMALIZE_EPS }).apply(linear) as Sym;
  },
  head: (p) => ({ task: 'embedding', loss: p.loss, lossWeight: p.lossWeight, embedding: { dim: p.dim, margin: p.margin, normalized: true } }),
});
