import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCKS, type GraphIR } from '../../../main/core';
import { graph, input } from '../core/graphFixtures';
import { expectCompiledMatchesInference } from './compiledShapes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Node = GraphIR['nodes'][number];

/**
 * What each block is compiled on: a [32,8,8] image (32 channels so that GroupNorm's default 32
 * groups divide them), tokens [16,32] (8 heads divide D = 32), or a [32] vector; its params are the
 * defaults plus only what has no default. Every registry block must be listed here.
 */
type Feed = 'image' | 'tokens' | 'vector' | 'two images' | 'pyramid' | 'patches' | 'none';
const SWEEP: Record<string, { feed: Feed; params?: Record<string, unknown> }> = {
  Input: { feed: 'none' },
  Conv2d: { feed: 'image', params: { outChannels: 16 } },
  DepthwiseConv2d: { feed: 'image' },
  SeparableConv2d: { feed: 'image', params: { outChannels: 16 } },
  ConvTranspose2d: { feed: 'image', params: { outChannels: 16 } },
  BatchNorm: { feed: 'image' },
  LayerNorm: { feed: 'image' },
  GroupNorm: { feed: 'image' },
  ReLU: { feed: 'image' },
  ReLU6: { feed: 'image' },
  LeakyReLU: { feed: 'image' },
  SiLU: { feed: 'image' },
  GELU: { feed: 'tokens' },
  HardSwish: { feed: 'image' },
  HardSigmoid: { feed: 'image' },
  Sigmoid: { feed: 'image' },
  Tanh: { feed: 'image' },
  Softmax: { feed: 'vector' },
  MaxPool: { feed: 'image' },
  AvgPool: { feed: 'image' },
  GlobalAvgPool: { feed: 'image' },
  Upsample: { feed: 'image' },
  Add: { feed: 'two images' },
  Concat: { feed: 'two images' },
  Multiply: { feed: 'two images' },
  Linear: { feed: 'vector', params: { outFeatures: 10 } },
  Flatten: { feed: 'image' },
  Reshape: { feed: 'image', params: { shape: [32, -1] } },
  Permute: { feed: 'image', params: { dims: [1, 2, 0] } },
  Dropout: { feed: 'image' },
  DropPath: { feed: 'image' },
  LayerScale: { feed: 'image' },
  SqueezeExcite: { feed: 'image', params: { squeezeChannels: 8 } },
  MultiHeadSelfAttention: { feed: 'tokens' },
  PatchEmbed: { feed: 'patches' },
  ClassToken: { feed: 'tokens' },
  PositionEmbedding: { feed: 'tokens' },
  MLP: { feed: 'tokens' },
  SelectToken: { feed: 'tokens' },
  BasicBlock: { feed: 'image', params: { outChannels: 32 } },
  Bottleneck: { feed: 'image', params: { width: 8 } },
  InvertedResidual: { feed: 'image', params: { outChannels: 32 } },
  ConvNeXtBlock: { feed: 'image' },
  TransformerEncoderBlock: { feed: 'tokens' },
  ASPP: { feed: 'image' },
  FPN: { feed: 'pyramid' },
  ClassificationHead: { feed: 'vector', params: { classes: 10 } },
  DetectionHead: { feed: 'pyramid', params: { classes: 3 } },
  SegmentationHead: { feed: 'image', params: { classes: 3 } },
  KeypointHeatmapHead: { feed: 'image', params: { joints: 4 } },
  EmbeddingHead: { feed: 'vector' },
};

/** A graph feeding block `type` (node "x") as SWEEP says. */
function sweepGraph(type: string): GraphIR {
  const { feed, params = {} } = SWEEP[type];
  const x = { id: 'x', type, params } as Node;
  switch (feed) {
    case 'none':
      return graph([{ ...input(32, 8, 8), id: 'x' }], []);
    case 'image':
      return graph([input(32, 8, 8), x], ['in -> x']);
    case 'two images':
      return graph([input(32, 8, 8), { id: 'a', type: 'ReLU', params: {} }, x], ['in -> a', 'in -> x', 'a -> x']);
    case 'tokens':
      return graph([input(32, 4, 4), { id: 't', type: 'Reshape', params: { shape: [-1, 32] } }, x], ['in -> t', 't -> x']);
    case 'vector':
      return graph([input(32, 8, 8), { id: 'v', type: 'GlobalAvgPool', params: {} }, x], ['in -> v', 'v -> x']);
    case 'patches':
      return graph([input(3, 32, 32), x], ['in -> x']);
    case 'pyramid': {
      // Levels of 8×8, 4×4 and 2×2, finest first, on the ports FPN names (DetectionHead takes them all on "in").
      const pool = (id: string): Node => ({ id, type: 'MaxPool', params: { kernel: 2, stride: 2 } });
      const ports = type === 'FPN' ? ['c3', 'c4', 'c5'] : ['in', 'in', 'in'];
      return graph([input(32, 8, 8), pool('l1'), pool('l2'), x], ['in -> l1', 'l1 -> l2', `in -> x:${ports[0]}`, `l1 -> x:${ports[1]}`, `l2 -> x:${ports[2]}`]);
    }
  }
}

describe('every registry block compiles with default params, and the model agrees with inference', () => {
  it('the sweep lists every registry block', () => {
    expect(Object.keys(SWEEP).sort()).toEqual(BLOCKS.map((b) => b.type).sort());
  });

  it.each(BLOCKS.map((b) => b.type))('%s', (type) => {
    expectCompiledMatchesInference(sweepGraph(type));
  });
});
