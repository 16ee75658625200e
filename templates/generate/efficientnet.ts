import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { makeDivisible } from '../../main/core';
import { convBnAct, dwBnAct } from './mobileParts';

/**
 * torchvision's MBConvConfig list for EfficientNet-B0 (width and depth multipliers 1.0):
 * expansion, kernel, stride of the first repeat, input and output channels, repeats.
 */
const B0: [expand: number, kernel: number, stride: number, inC: number, outC: number, repeats: number][] = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

/** torchvision's stochastic_depth_prob for B0: the rate grows linearly from 0 to 0.2 over the blocks. */
const STOCHASTIC_DEPTH = 0.2;

/**
 * MBConv: 1×1 expansion (skipped when the expansion is 1), depthwise K×K, squeeze-and-excitation,
 * linear 1×1 projection. Unlike MobileNetV3, the SE width comes from the block's *input*
 * channels: max(1, input // 4), not from the expanded ones; it uses SiLU inside and a sigmoid
 * gate. The shortcut (stride 1, same channels) carries stochastic depth (DropPath, no params).
 */
function mbconv(g: GraphBuilder, id: string, input: string, inC: number, outC: number, expand: number, kernel: number, stride: number, dropRate: number): string {
  g.newBand();
  const expanded = makeDivisible(inC * expand);
  let x = input;
  if (expanded !== inC) x = convBnAct(g, `${id}_expand`, x, expanded, 1, 1, 'SiLU');
  x = dwBnAct(g, `${id}_dw`, x, kernel, stride, 'SiLU');
  x = g.add(`${id}_se`, 'SqueezeExcite', { squeezeChannels: Math.max(1, Math.floor(inC / 4)), activation: 'silu', gate: 'sigmoid' }, [x]);
  x = convBnAct(g, `${id}_project`, x, outC, 1, 1, null);
  if (stride !== 1 || inC !== outC) return x;
  x = g.add(`${id}_droppath`, 'DropPath', { rate: dropRate }, [x]);
  return g.add(`${id}_add`, 'Add', {}, [x, input]);
}

export function efficientnetB0(): GraphIR {
  const g = new GraphBuilder('efficientnet_b0', {
    description:
      'EfficientNet-B0 (Tan & Le, 2019), as torchvision efficientnet_b0: 3x3 stride-2 stem (32 channels), 16 MBConv blocks (1x1 expansion x6, 3x3/5x5 depthwise, squeeze-and-excitation, linear 1x1 projection; SiLU; stochastic depth up to 0.2 on the shortcuts), 1x1 conv to 1280, global average pool, Dropout 0.2, 1000-class head. 5,288,548 parameters.',
    tasks: ['classification'],
    recipe: { epochs: 350, batchSize: 256, optimizer: 'sgd', learningRate: 0.1, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip', 'autoaugment'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 224, width: 224 }, []);
  x = convBnAct(g, 'stem', x, 32, 3, 2, 'SiLU');
  const total = B0.reduce((n, stage) => n + stage[5], 0);
  let block = 0;
  B0.forEach(([expand, kernel, stride, inC, outC, repeats], stage) => {
    for (let i = 0; i < repeats; i++) {
      // torchvision: sd_prob = stochastic_depth_prob · stage_block_id / total_stage_blocks.
      const rate = Math.round((1e4 * STOCHASTIC_DEPTH * block) / total) / 1e4;
      x = mbconv(g, `stage${stage + 1}_${i}`, x, i === 0 ? inC : outC, outC, expand, kernel, i === 0 ? stride : 1, rate);
      block++;
    }
  });
  g.newBand();
  x = convBnAct(g, 'last', x, 4 * 320, 1, 1, 'SiLU');
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  x = g.add('dropout', 'Dropout', { rate: 0.2 }, [x]);
  g.add('head', 'ClassificationHead', { classes: 1000 }, [x]);
  return g.build();
}
