import type { z } from 'zod';
import type * as TF from '@tensorflow/tfjs';

/** A per-sample shape, channels first: [C,H,W] for images, [F] for feature vectors. */
export type Shape = number[];

export type BlockCategory =
  | 'input'
  | 'convolution'
  | 'normalization'
  | 'activation'
  | 'pooling'
  | 'merge'
  | 'linear'
  | 'shape'
  | 'regularization'
  | 'attention'
  | 'transformer'
  | 'group'
  | 'head';

export interface InputPortSpec {
  name: string;
  /** How many edges the port takes: 'one' (exactly one) or 'many' (at least `min`). */
  arity: 'one' | 'many';
  min?: number;
}

/** Shapes arriving at each input port, in edge order. */
export type PortShapes = Record<string, Shape[]>;

export interface ParamCount {
  /** Learnable weights (PyTorch convention). */
  params: number;
  /** Non-learnable state such as BatchNorm running statistics. */
  buffers: number;
}

/** What a head node tells the trainer: its task and how its loss enters the total. */
export interface HeadInfo {
  task: 'classification' | 'detection' | 'segmentation' | 'keypoints' | 'embedding';
  /** The loss by name; detection names its parts as `<classLoss>+<boxLoss>`. */
  loss: string;
  lossWeight: number;
  /** Task settings the trainer and decoders need (plain data; see taskHeads.ts). */
  detection?: { classes: number; anchorsPerCell: number; anchorSizes?: [number, number][][]; boxCoding: 'delta_xywh'; classLoss: 'focal' | 'bce'; boxLoss: 'smooth_l1' | 'giou' | 'ciou' };
  segmentation?: { classes: number; ignoreIndex: number; scale: number };
  keypoints?: { joints: number; sigma: number };
  embedding?: { dim: number; margin: number; normalized: true };
}

export type Tf = typeof TF;

/**
 * Builds the TF.js layers of a block (NHWC) applied to symbolic inputs in port order; a block
 * with several outputs returns one tensor per output port, in port order.
 */
export type BlockBuilder = (inputs: TF.SymbolicTensor[]) => TF.SymbolicTensor | TF.SymbolicTensor[];

/** Zero rows/columns added [before, after] along height and along width (PyTorch-style explicit padding). */
export type SpatialPadding = [[number, number], [number, number]];

/** Every custom layer is named by its block: `<id>` or a helper `<id>__<part>` (freezing relies on it). */
export interface NamedLayerConfig {
  name: string;
}

/** PyTorch nn.GroupNorm(groups, C, eps, affine=True) over the channels (last axis in TF.js). */
export interface GroupNormLayerConfig extends NamedLayerConfig {
  groups: number;
  epsilon: number;
}

/** torch.nn.MultiheadAttention as torchvision's ViT uses it: packed Q/K/V projection, output projection with bias. */
export interface MultiHeadSelfAttentionLayerConfig extends NamedLayerConfig {
  heads: number;
  qkvBias: boolean;
  /** Dropout on the attention weights while training. */
  dropout: number;
}

/** PyTorch F.normalize(x, p=2, dim=-1, eps): x / max(‖x‖₂, eps). */
export interface L2NormalizeLayerConfig extends NamedLayerConfig {
  epsilon: number;
}

/** A dilated (atrous) convolution window whose gradient TF.js can take (see main/compile/layers/atrous.ts). */
export interface AtrousWindowConfig extends NamedLayerConfig {
  kernelSize: number;
  stride: number;
  dilation: number;
  padding: SpatialPadding;
  useBias: boolean;
}

export interface DilatedConv2dLayerConfig extends AtrousWindowConfig {
  filters: number;
}

export interface DilatedDepthwiseConv2dLayerConfig extends AtrousWindowConfig {
  depthMultiplier: number;
}

/** Resizing to a fixed [H,W] with PyTorch's F.interpolate semantics (bilinear: align_corners=False). */
export interface ResizeLayerConfig extends NamedLayerConfig {
  size: [number, number];
  mode: 'bilinear' | 'nearest';
}

/**
 * The engine's own TF.js layers, for what tfjs-layers lacks or cannot differentiate. main/core
 * must not load TF.js, so the compiler injects these factories the way it injects `tf`; each
 * takes plain config and returns a layer to apply to symbolic tensors.
 */
export interface CustomLayerFactories {
  groupNorm(config: GroupNormLayerConfig): TF.layers.Layer;
  /** Prepends one learned token: [B,N,D] → [B,N+1,D]. */
  classToken(config: NamedLayerConfig): TF.layers.Layer;
  /** Adds a learned [N,D] embedding to every sequence. */
  positionEmbedding(config: NamedLayerConfig): TF.layers.Layer;
  multiHeadSelfAttention(config: MultiHeadSelfAttentionLayerConfig): TF.layers.Layer;
  l2Normalize(config: L2NormalizeLayerConfig): TF.layers.Layer;
  dilatedConv2d(config: DilatedConv2dLayerConfig): TF.layers.Layer;
  dilatedDepthwiseConv2d(config: DilatedDepthwiseConv2dLayerConfig): TF.layers.Layer;
  resize(config: ResizeLayerConfig): TF.layers.Layer;
}

export interface BuildContext {
  tf: Tf;
  /** The engine's custom layers, injected with `tf`. */
  layers: CustomLayerFactories;
  /** Unique layer-name prefix: the node id. */
  name: string;
  /** IR (channels-first) shapes of the inputs, in port order. */
  inputShapes: Shape[];
}

/**
 * The one definition of a block type. The palette, inspector, shape inference, compiler and
 * docs all read it; nothing else lists blocks.
 */
export interface BlockDefinition<P = Record<string, unknown>> {
  type: string;
  category: BlockCategory;
  /** One or two sentences for the palette and docs. */
  doc: string;
  /** Params with defaults; unknown keys are rejected. */
  params: z.ZodType<P>;
  inputs: InputPortSpec[];
  outputs: string[];
  /** Output shape for valid input shapes; throws ShapeError naming the port otherwise. */
  inferShape(inputs: PortShapes, params: P): Shape;
  /** For blocks with several outputs: every output port's shape (inferShape then gives the first). */
  inferOutputShapes?(inputs: PortShapes, params: P): Record<string, Shape>;
  countParams(inputs: PortShapes, params: P): ParamCount;
  /** FLOPs per sample; one multiply-add counts as 2 FLOPs. */
  countFlops(inputs: PortShapes, output: Shape, params: P): number;
  /**
   * The TF.js layers of the block. Absent for a block the engine cannot compile: such a graph
   * checks and sizes fine but cannot be compiled.
   */
  build?(params: P, ctx: BuildContext): BlockBuilder;
  head?: (params: P) => HeadInfo;
}

/** Erases a definition's param type so definitions of many types can share one registry. */
export function defineBlock<P>(def: BlockDefinition<P>): BlockDefinition<Record<string, unknown>> {
  return def as unknown as BlockDefinition<Record<string, unknown>>;
}
