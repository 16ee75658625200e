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

export interface BuildContext {
  tf: Tf;
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
   * The TF.js layers of the block. Absent while a block needs a custom TF.js layer that the
   * engine does not have yet: such a graph checks and sizes fine but cannot be compiled.
   */
  build?(params: P, ctx: BuildContext): BlockBuilder;
  head?: (params: P) => HeadInfo;
}

/** Erases a definition's param type so definitions of many types can share one registry. */
export function defineBlock<P>(def: BlockDefinition<P>): BlockDefinition<Record<string, unknown>> {
  return def as unknown as BlockDefinition<Record<string, unknown>>;
}
