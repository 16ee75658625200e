import type { BlockDefinition } from './types';
import { Input } from './io';
import { Conv2d } from './conv';
import { BatchNorm } from './norm';
import { ReLU } from './activation';
import { Add } from './merge';
import { GlobalAvgPool, MaxPool } from './pooling';
import { Linear } from './linear';
import { ClassificationHead } from './heads';
import { DetectionHead, EmbeddingHead, KeypointHeatmapHead, SegmentationHead } from './taskHeads';
import { ReLU6, LeakyReLU, SiLU, GELU, HardSwish, HardSigmoid, Sigmoid, Tanh, Softmax } from './activation';
import { ConvTranspose2d, DepthwiseConv2d, SeparableConv2d } from './convVariants';
import { AvgPool } from './avgPool';
import { GroupNorm, LayerNorm } from './groupLayerNorm';
import { Dropout, DropPath, Flatten, Permute, Reshape } from './shapeOps';
import { Concat, Multiply } from './mergeOps';
import { Upsample } from './upsample';
import { SqueezeExcite } from './squeezeExcite';
import { ClassToken, PatchEmbed, PositionEmbedding, SelectToken } from './tokens';
import { MLP, MultiHeadSelfAttention } from './transformer';
import { LayerScale } from './layerScale';
import { BasicBlock, Bottleneck } from './composites/residualBlocks';
import { ConvNeXtBlock, InvertedResidual } from './composites/mobileBlocks';
import { TransformerEncoderBlock } from './composites/transformerBlocks';
import { ASPP } from './composites/asppBlock';
import { FPN } from './composites/fpnBlock';

/** Every block type, in palette order. This list is the only place blocks are enumerated. */
export const BLOCKS: readonly BlockDefinition[] = [
  Input,
  // convolution
  Conv2d, DepthwiseConv2d, SeparableConv2d, ConvTranspose2d,
  // normalization
  BatchNorm, LayerNorm, GroupNorm,
  // activation
  ReLU, ReLU6, LeakyReLU, SiLU, GELU, HardSwish, HardSigmoid, Sigmoid, Tanh, Softmax,
  // pooling and resizing
  MaxPool, AvgPool, GlobalAvgPool, Upsample,
  // merge
  Add, Concat, Multiply,
  // linear, shape, regularization
  Linear, Flatten, Reshape, Permute, Dropout, DropPath, LayerScale,
  // attention and transformer
  SqueezeExcite, MultiHeadSelfAttention, PatchEmbed, ClassToken, PositionEmbedding, MLP, SelectToken,
  // composites (subgraphs)
  BasicBlock, Bottleneck, InvertedResidual, ConvNeXtBlock, TransformerEncoderBlock, ASPP, FPN,
  // heads
  ClassificationHead, DetectionHead, SegmentationHead, KeypointHeatmapHead, EmbeddingHead,
];

const byType = new Map(BLOCKS.map((b) => [b.type, b]));

export function getBlock(type: string): BlockDefinition | undefined {
  return byType.get(type);
}

export function blockTypes(): string[] {
  return BLOCKS.map((b) => b.type);
}
