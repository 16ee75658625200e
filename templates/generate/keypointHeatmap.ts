import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { basicBlock, convBnRelu } from './resnetParts';

/**
 * A SimpleBaseline-style pose net (Xiao et al. 2018), small: a residual backbone to stride 16,
 * two 4×4 stride-2 transposed convs back to stride 4, and a 1×1 heatmap head per joint.
 */
export function keypointHeatmap(): GraphIR {
  const g = new GraphBuilder('keypoint_heatmap', {
    description:
      'A small SimpleBaseline-style keypoint net for 128x128 images and 5 joints: a residual backbone (16→32→64→128 channels, stride 16), two 4×4 stride-2 transposed convolutions back to stride 4, and one 32x32 heatmap per joint, trained with MSE against Gaussian targets (sigma 2 cells) and decoded by argmax.',
    tasks: ['keypoints'],
    recipe: { epochs: 30, batchSize: 16, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: [] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 128, width: 128 }, []);
  x = convBnRelu(g, 'stem', x, 16, 3, 2, 1);
  x = basicBlock(g, 'stage1', x, 16, 32, 2);
  x = basicBlock(g, 'stage2', x, 32, 64, 2);
  x = basicBlock(g, 'stage3', x, 64, 128, 2);
  for (const i of [1, 2]) {
    g.newBand();
    x = g.add(`deconv${i}`, 'ConvTranspose2d', { outChannels: 64, kernel: 4, stride: 2, padding: 1, bias: false }, [x]);
    x = g.add(`deconv${i}_bn`, 'BatchNorm', {}, [x]);
    x = g.add(`deconv${i}_relu`, 'ReLU', {}, [x]);
  }
  g.newBand();
  g.add('head', 'KeypointHeatmapHead', { joints: 5, sigma: 2 }, [x]);
  return g.build();
}
