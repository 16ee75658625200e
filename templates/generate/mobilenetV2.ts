import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { convBnAct, dwBnAct } from './mobileParts';

/**
 * torchvision's `inverted_residual_setting` for MobileNetV2 (width 1.0): expansion t, output
 * channels c, repeats n, stride s of the first repeat (the others have stride 1).
 */
const SETTING: [t: number, c: number, n: number, s: number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * Inverted residual: 1×1 expansion to t·C (skipped when t = 1, as torchvision does — that saves
 * the first block's 32→32 conv and its BatchNorm), depthwise 3×3, then a *linear* 1×1 projection
 * (BatchNorm, no ReLU6). The identity shortcut is used only when stride is 1 and C is unchanged.
 */
function invertedResidual(g: GraphBuilder, id: string, input: string, inChannels: number, outChannels: number, stride: number, t: number): string {
  g.newBand();
  let x = input;
  if (t !== 1) x = convBnAct(g, `${id}_expand`, x, inChannels * t, 1, 1, 'ReLU6');
  x = dwBnAct(g, `${id}_dw`, x, 3, stride, 'ReLU6');
  x = convBnAct(g, `${id}_project`, x, outChannels, 1, 1, null);
  return stride === 1 && inChannels === outChannels ? g.add(`${id}_add`, 'Add', {}, [x, input]) : x;
}

export function mobilenetV2(): GraphIR {
  const g = new GraphBuilder('mobilenet_v2', {
    description:
      'MobileNetV2 (Sandler et al., 2018), as torchvision mobilenet_v2: 3x3 stride-2 stem (32 channels), 17 inverted residual blocks (1x1 expansion x6, depthwise 3x3, linear 1x1 bottleneck; ReLU6), 1x1 conv to 1280, global average pool, Dropout 0.2, 1000-class head. 3,504,872 parameters.',
    tasks: ['classification'],
    recipe: { epochs: 300, batchSize: 256, optimizer: 'sgd', learningRate: 0.045, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  x = convBnAct(g, 'stem', x, 32, 3, 2, 'ReLU6');
  let channels = 32;
  let block = 0;
  for (const [t, c, n, s] of SETTING) {
    for (let i = 0; i < n; i++) {
      x = invertedResidual(g, `block${++block}`, x, channels, c, i === 0 ? s : 1, t);
      channels = c;
    }
  }
  g.newBand();
  x = convBnAct(g, 'last', x, 1280, 1, 1, 'ReLU6');
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  x = g.add('dropout', 'Dropout', { rate: 0.2 }, [x]);
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}
