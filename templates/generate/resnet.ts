import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { basicBlock, bottleneck, convBnRelu } from './resnetParts';

interface ResNetSpec {
  name: string;
  description: string;
  /** Blocks per stage. */
  depths: [number, number, number, number];
  kind: 'basic' | 'bottleneck';
}

const IMAGENET_RECIPE = { epochs: 90, batchSize: 256, optimizer: 'sgd', learningRate: 0.1, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip'] } as const;

/** The ImageNet ResNets of He et al. (2015): 7×7 stem, max pool, four stages, 1000-class head. */
function resnet({ name, description, depths, kind }: ResNetSpec): GraphIR {
  const g = new GraphBuilder(name, { description, tasks: ['classification'], recipe: { ...IMAGENET_RECIPE, augmentation: [...IMAGENET_RECIPE.augmentation] } });
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  x = convBnRelu(g, 'stem', x, 64, 7, 2, 3);
  x = g.add('stem_pool', 'MaxPool', { kernel: 3, stride: 2, padding: 1 }, [x]);
  let channels = 64;
  [64, 128, 256, 512].forEach((width, stage) => {
    for (let i = 0; i < depths[stage]; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const id = `layer${stage + 1}_${i}`;
      x = kind === 'basic' ? basicBlock(g, id, x, channels, width, stride) : bottleneck(g, id, x, channels, width, stride);
      channels = kind === 'basic' ? width : 4 * width;
    }
  });
  g.newBand();
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}

export const resnet18 = () =>
  resnet({
    name: 'resnet18',
    description: 'ResNet-18 (He et al., 2015): 7x7 stem, max pool, four stages of two BasicBlocks (64, 128, 256, 512 channels), 1000-class head. 11,689,512 parameters.',
    depths: [2, 2, 2, 2],
    kind: 'basic',
  });

export const resnet34 = () =>
  resnet({
    name: 'resnet34',
    description: 'ResNet-34 (He et al., 2015): BasicBlocks in stages of 3, 4, 6 and 3 (64 to 512 channels), 1000-class head. 21,797,672 parameters.',
    depths: [3, 4, 6, 3],
    kind: 'basic',
  });

export const resnet50 = () =>
  resnet({
    name: 'resnet50',
    description: 'ResNet-50 (He et al., 2015; torchvision v1.5 with the stride on the 3x3 conv): Bottlenecks in stages of 3, 4, 6 and 3 (256 to 2048 channels), 1000-class head. 25,557,032 parameters.',
    depths: [3, 4, 6, 3],
    kind: 'bottleneck',
  });
