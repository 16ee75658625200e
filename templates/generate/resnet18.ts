import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { basicBlock, convBnRelu } from './resnetParts';

export function resnet18(): GraphIR {
  const g = new GraphBuilder('resnet18', {
    description: 'ResNet-18 (He et al., 2015): 7x7 stem, max pool, four stages of two BasicBlocks (64, 128, 256, 512 channels), 1000-class head. 11,689,512 parameters.',
    tasks: ['classification'],
    recipe: { epochs: 90, batchSize: 256, optimizer: 'sgd', learningRate: 0.1, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  x = convBnRelu(g, 'stem', x, 64, 7, 2, 3);
  x = g.add('stem_pool', 'MaxPool', { kernel: 3, stride: 2, padding: 1 }, [x]);
  let inChannels = 64;
  [64, 128, 256, 512].forEach((channels, i) => {
    x = basicBlock(g, `layer${i + 1}_0`, x, inChannels, channels, i === 0 ? 1 : 2);
    x = basicBlock(g, `layer${i + 1}_1`, x, channels, channels, 1);
    inChannels = channels;
  });
  g.newBand();
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}
