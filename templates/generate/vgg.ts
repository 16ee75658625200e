import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';

/** torchvision's cfgs["D"] (VGG-16): output channels of each 3×3 conv, 'M' for a 2×2 stride-2 max pool. */
const VGG16: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];

/**
 * VGG-16 without BatchNorm (torchvision vgg16): every 3×3 conv has a bias and padding 1, so only
 * the pools shrink the image, 224 → 7. torchvision then applies AdaptiveAvgPool2d((7, 7)), an
 * identity at 224×224, left out here. The classifier's first Linear (512·7·7 = 25,088 → 4,096)
 * holds 102.8 M of the 138.4 M parameters.
 */
export function vgg16(): GraphIR {
  const g = new GraphBuilder('vgg16', {
    description:
      'VGG-16 (Simonyan & Zisserman, 2014), as torchvision vgg16 (no BatchNorm): 13 3x3 convs with biases and ReLU in five stages (64, 128, 256, 512, 512 channels) each ending in a 2x2 max pool, Flatten (512x7x7 = 25,088), Linear 4096 + ReLU + Dropout twice, 1000-class head. 138,357,544 parameters.',
    tasks: ['classification'],
    recipe: { epochs: 90, batchSize: 256, optimizer: 'sgd', learningRate: 0.01, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  let stage = 1;
  let conv = 1;
  g.newBand();
  for (const item of VGG16) {
    if (item === 'M') {
      x = g.add(`pool${stage}`, 'MaxPool', { kernel: 2, stride: 2, padding: 0 }, [x]);
      stage++;
      conv = 1;
      g.newBand();
      continue;
    }
    x = g.add(`conv${stage}_${conv}`, 'Conv2d', { outChannels: item, kernel: 3, stride: 1, padding: 1, bias: true }, [x]);
    x = g.add(`relu${stage}_${conv++}`, 'ReLU', {}, [x]);
  }
  x = g.add('flatten', 'Flatten', {}, [x]);
  for (const i of [1, 2]) {
    x = g.add(`fc${i}`, 'Linear', { outFeatures: 4096 }, [x]);
    x = g.add(`fc${i}_relu`, 'ReLU', {}, [x]);
    x = g.add(`fc${i}_dropout`, 'Dropout', { rate: 0.5 }, [x]);
  }
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}
