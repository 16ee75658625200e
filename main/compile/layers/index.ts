import type { CustomLayerFactories } from '../../core';
import { ClassToken } from './classToken';
import { DilatedConv2D } from './dilatedConv2d';
import { DilatedDepthwiseConv2D } from './dilatedDepthwiseConv2d';
import { GroupNorm } from './groupNorm';
import { L2Normalize } from './l2Normalize';
import { MultiHeadSelfAttention } from './multiHeadSelfAttention';
import { PositionEmbedding } from './positionEmbedding';
import { InterpolateResize } from './resize';

/**
 * The engine's custom TF.js layers, as the factories block builders receive in their
 * BuildContext. Importing this module registers every class for model (de)serialisation.
 */
export const customLayers: CustomLayerFactories = {
  groupNorm: (config) => new GroupNorm(config),
  classToken: (config) => new ClassToken(config),
  positionEmbedding: (config) => new PositionEmbedding(config),
  multiHeadSelfAttention: (config) => new MultiHeadSelfAttention(config),
  l2Normalize: (config) => new L2Normalize(config),
  dilatedConv2d: (config) => new DilatedConv2D(config),
  dilatedDepthwiseConv2d: (config) => new DilatedDepthwiseConv2D(config),
  resize: (config) => new InterpolateResize(config),
};

export { ClassToken, DilatedConv2D, DilatedDepthwiseConv2D, GroupNorm, InterpolateResize, L2Normalize, MultiHeadSelfAttention, PositionEmbedding };
