import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { convBnRelu } from './resnetParts';
import { dilatedConvBnRelu } from './denseParts';

/** Channels of every ASPP branch and of its projection. */
const ASPP_WIDTH = 64;
/** Atrous rates of the 3×3 ASPP branches, sized for a 16×16 feature map. */
export const ASPP_RATES = [1, 2, 3] as const;

/**
 * A small DeepLabV3 (Chen et al. 2017) for 128×128 images: a backbone of three stride-2 convs
 * (output stride 8) whose last stage is dilated instead of strided, ASPP built from primitives,
 * bilinear upsampling to the input size and a 1×1 classifier.
 */
export function deeplabSmall(): GraphIR {
  const g = new GraphBuilder('deeplab_small', {
    description:
      'A small DeepLabV3 for 128x128 images and 4 classes: three stride-2 conv stages (output stride 8, 16x16 features) and a dilated stage (rate 2) in place of a fourth stride, then ASPP — parallel 1×1 and 3×3 convs at rates 1/2/3 plus an image-pooling branch, concatenated and projected by a 1×1 conv — upsampled ×8 bilinearly to the input size. Trained with Dice + cross-entropy.',
    tasks: ['segmentation'],
    recipe: { epochs: 20, batchSize: 16, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: ['hflip'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 128, width: 128 }, []);
  [32, 64, 96].forEach((width, i) => {
    g.newBand();
    x = convBnRelu(g, `stage${i + 1}_a`, x, width, 3, 2, 1);
    x = convBnRelu(g, `stage${i + 1}_b`, x, width, 3, 1, 1);
  });
  g.newBand();
  x = dilatedConvBnRelu(g, 'stage4_a', x, 128, 2);
  x = dilatedConvBnRelu(g, 'stage4_b', x, 128, 2);

  g.newBand();
  const start = g.currentColumn;
  const branches = [convBnRelu(g, 'aspp_1x1', x, ASPP_WIDTH, 1, 1, 0)];
  ASPP_RATES.forEach((rate, i) => branches.push(g.branchAt(start, () => dilatedConvBnRelu(g, `aspp_rate${rate}`, x, ASPP_WIDTH, rate, i + 1))));
  // Image pooling: the whole 16×16 map averaged to [C,1,1], projected, and spread back over the map.
  branches.push(
    g.branchAt(start, () => {
      const pooled = g.add('aspp_pool', 'AvgPool', { kernel: 16, stride: 16 }, [x], 4);
      const projected = convBnRelu(g, 'aspp_pool_proj', pooled, ASPP_WIDTH, 1, 1, 0, true, 4);
      return g.add('aspp_pool_up', 'Upsample', { size: [16, 16] }, [projected], 4);
    }),
  );
  const joined = g.add('aspp_concat', 'Concat', {}, branches);
  x = convBnRelu(g, 'aspp_project', joined, ASPP_WIDTH, 1, 1, 0);

  g.newBand();
  x = g.add('upsample', 'Upsample', { scale: 8, mode: 'bilinear' }, [x]);
  g.add('head', 'SegmentationHead', { classes: 4, loss: 'dice_ce' }, [x]);
  return g.build();
}
