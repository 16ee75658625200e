import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';

/** ConvNeXt's LayerNorms (torchvision LayerNorm2d and the classifier's) use eps 1e-6, over the channels. */
const LN = { normalizedShape: 'channels', eps: 1e-6 } as const;

/** torchvision's stochastic_depth_prob for convnext_tiny: 0.1, growing linearly over the blocks. */
const STOCHASTIC_DEPTH = 0.1;

/**
 * ConvNeXt block (torchvision CNBlock): depthwise 7×7 with bias → LayerNorm over channels →
 * 1×1 conv C→4C → GELU → 1×1 conv 4C→C → layer scale γ → stochastic depth → Add. torchvision
 * writes the two 1×1 convs as Linear layers on a channels-last permute; a 1×1 conv with bias has
 * exactly the same weights (C·4C + 4C and 4C·C + C), so the count is unchanged. Unlike the
 * MobileNets, every conv here has a bias: there is no BatchNorm after them.
 */
function block(g: GraphBuilder, id: string, input: string, dim: number, dropRate: number): string {
  g.newBand();
  let x = g.add(`${id}_dw`, 'DepthwiseConv2d', { kernel: 7, stride: 1, padding: 3, bias: true }, [input]);
  x = g.add(`${id}_ln`, 'LayerNorm', LN, [x]);
  x = g.add(`${id}_pw1`, 'Conv2d', { outChannels: 4 * dim, kernel: 1, stride: 1, padding: 0, bias: true }, [x]);
  x = g.add(`${id}_gelu`, 'GELU', {}, [x]);
  x = g.add(`${id}_pw2`, 'Conv2d', { outChannels: dim, kernel: 1, stride: 1, padding: 0, bias: true }, [x]);
  x = g.add(`${id}_scale`, 'LayerScale', { init: 1e-6 }, [x]);
  x = g.add(`${id}_droppath`, 'DropPath', { rate: dropRate }, [x]);
  return g.add(`${id}_add`, 'Add', {}, [x, input]);
}

export function convnextTiny(): GraphIR {
  const g = new GraphBuilder('convnext_tiny', {
    description:
      'ConvNeXt-T (Liu et al., 2022), as torchvision convnext_tiny: 4x4 stride-4 patchify stem + LayerNorm, four stages of 3, 3, 9 and 3 blocks (96, 192, 384, 768 channels; depthwise 7x7, LayerNorm, 1x1 expansion x4, GELU, 1x1 projection, layer scale, stochastic depth up to 0.1), LayerNorm + 2x2 stride-2 conv between stages, global average pool, LayerNorm, 1000-class head. 28,589,128 parameters. LayerScale compiles as a 1x1 depthwise conv.',
    tasks: ['classification'],
    recipe: { epochs: 600, batchSize: 1024, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip', 'trivialaugment', 'mixup', 'cutmix', 'random_erasing'] },
  });
  const dims = [96, 192, 384, 768];
  const depths = [3, 3, 9, 3];
  const total = depths.reduce((a, b) => a + b, 0);
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  x = g.add('stem_conv', 'Conv2d', { outChannels: dims[0], kernel: 4, stride: 4, padding: 0, bias: true }, [x]);
  x = g.add('stem_ln', 'LayerNorm', LN, [x]);
  let index = 0;
  dims.forEach((dim, stage) => {
    if (stage > 0) {
      g.newBand();
      x = g.add(`down${stage}_ln`, 'LayerNorm', LN, [x]);
      x = g.add(`down${stage}_conv`, 'Conv2d', { outChannels: dim, kernel: 2, stride: 2, padding: 0, bias: true }, [x]);
    }
    for (let i = 0; i < depths[stage]; i++) {
      // torchvision: sd_prob = stochastic_depth_prob · stage_block_id / (total_stage_blocks − 1).
      const rate = Math.round((1e4 * STOCHASTIC_DEPTH * index++) / (total - 1)) / 1e4;
      x = block(g, `stage${stage + 1}_${i}`, x, dim, rate);
    }
  });
  g.newBand();
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  // torchvision's classifier: LayerNorm2d on the pooled [768,1,1], Flatten, Linear; here the norm runs on the vector.
  x = g.add('norm', 'LayerNorm', LN, [x]);
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}
