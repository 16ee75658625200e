import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { makeDivisible } from '../../main/core';
import { convBnAct, dwBnAct } from './mobileParts';

interface Bneck {
  kernel: number;
  expanded: number;
  out: number;
  se: boolean;
  act: 'ReLU' | 'HardSwish';
  stride: number;
}

const bneck = (kernel: number, expanded: number, out: number, se: boolean, act: 'RE' | 'HS', stride: number): Bneck => ({ kernel, expanded, out, se, act: act === 'RE' ? 'ReLU' : 'HardSwish', stride });

/** torchvision's `_mobilenet_v3_conf("mobilenet_v3_small")` (width 1.0, no dilation): kernel, expanded, out, SE, activation, stride. */
const SMALL: Bneck[] = [
  bneck(3, 16, 16, true, 'RE', 2),
  bneck(3, 72, 24, false, 'RE', 2),
  bneck(3, 88, 24, false, 'RE', 1),
  bneck(5, 96, 40, true, 'HS', 2),
  bneck(5, 240, 40, true, 'HS', 1),
  bneck(5, 240, 40, true, 'HS', 1),
  bneck(5, 120, 48, true, 'HS', 1),
  bneck(5, 144, 48, true, 'HS', 1),
  bneck(5, 288, 96, true, 'HS', 2),
  bneck(5, 576, 96, true, 'HS', 1),
  bneck(5, 576, 96, true, 'HS', 1),
];

/**
 * MobileNetV3 inverted residual. The 1×1 expansion is skipped when expanded = input channels
 * (only the first block, 16 → 16). Squeeze-and-excitation sits after the depthwise conv: its
 * width is make_divisible(expanded / 4, 8) (so 16/4 = 4 rounds up to 8), its two 1×1 convs have
 * biases, its inner activation is ReLU and its gate HardSigmoid. The 1×1 projection is linear.
 */
function invertedResidual(g: GraphBuilder, id: string, input: string, inChannels: number, b: Bneck): string {
  g.newBand();
  let x = input;
  if (b.expanded !== inChannels) x = convBnAct(g, `${id}_expand`, x, b.expanded, 1, 1, b.act);
  x = dwBnAct(g, `${id}_dw`, x, b.kernel, b.stride, b.act);
  if (b.se) x = g.add(`${id}_se`, 'SqueezeExcite', { squeezeChannels: makeDivisible(Math.floor(b.expanded / 4)), activation: 'relu', gate: 'hardsigmoid' }, [x]);
  x = convBnAct(g, `${id}_project`, x, b.out, 1, 1, null);
  return b.stride === 1 && inChannels === b.out ? g.add(`${id}_add`, 'Add', {}, [x, input]) : x;
}

export function mobilenetV3Small(): GraphIR {
  const g = new GraphBuilder('mobilenet_v3_small', {
    description:
      'MobileNetV3-Small (Howard et al., 2019), as torchvision mobilenet_v3_small: 3x3 stride-2 stem (16 channels, HardSwish), 11 inverted residual blocks with 3x3/5x5 depthwise convs, ReLU or HardSwish and squeeze-and-excitation (HardSigmoid gate), 1x1 conv to 576, global average pool, Linear 576->1024 + HardSwish + Dropout 0.2, 1000-class head. 2,542,856 parameters.',
    tasks: ['classification'],
    recipe: { epochs: 600, batchSize: 1024, optimizer: 'sgd', learningRate: 0.064, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip', 'autoaugment'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  x = convBnAct(g, 'stem', x, 16, 3, 2, 'HardSwish');
  let channels = 16;
  SMALL.forEach((b, i) => {
    x = invertedResidual(g, `block${i + 1}`, x, channels, b);
    channels = b.out;
  });
  g.newBand();
  // torchvision: last conv to 6 × 96 = 576 channels, then the classifier's hidden Linear (1024, with bias).
  x = convBnAct(g, 'last', x, 6 * channels, 1, 1, 'HardSwish');
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  x = g.add('fc', 'Linear', { outFeatures: 1024 }, [x]);
  x = g.add('fc_act', 'HardSwish', {}, [x]);
  x = g.add('dropout', 'Dropout', { rate: 0.2 }, [x]);
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}
