import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { doubleConv } from './denseParts';

/** Encoder widths of unet_small, finest first; the bottleneck doubles the last. */
export const UNET_SMALL_WIDTHS = [16, 32, 64] as const;

/**
 * A small U-Net (Ronneberger et al. 2015) for 128×128 images: three encoder levels with max
 * pooling, a bottleneck, and a decoder of 2×2 transposed convs whose outputs are concatenated
 * with the encoder features of the same size (skip connections). One band per level.
 */
export function unetSmall(): GraphIR {
  const g = new GraphBuilder('unet_small', {
    description:
      'A small U-Net for 128x128 images and 4 classes: three encoder levels (16→32→64 channels) with 2×2 max pooling, a 128-channel bottleneck, and a decoder of 2×2 transposed convolutions concatenated with the encoder features (skip connections). Logits at full resolution, trained with Dice + cross-entropy.',
    tasks: ['segmentation'],
    recipe: { epochs: 20, batchSize: 16, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: ['hflip'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 128, width: 128 }, []);
  const skips: string[] = [];
  UNET_SMALL_WIDTHS.forEach((width, i) => {
    g.newBand();
    skips.push(doubleConv(g, `enc${i + 1}`, x, width));
    x = g.add(`enc${i + 1}_pool`, 'MaxPool', { kernel: 2, stride: 2 }, [skips[i]]);
  });
  g.newBand();
  x = doubleConv(g, 'bottleneck', x, 2 * UNET_SMALL_WIDTHS.at(-1)!);
  for (let i = UNET_SMALL_WIDTHS.length - 1; i >= 0; i--) {
    g.newBand();
    const up = g.add(`dec${i + 1}_up`, 'ConvTranspose2d', { outChannels: UNET_SMALL_WIDTHS[i], kernel: 2, stride: 2 }, [x]);
    const joined = g.add(`dec${i + 1}_concat`, 'Concat', {}, [up, skips[i]]);
    x = doubleConv(g, `dec${i + 1}`, joined, UNET_SMALL_WIDTHS[i]);
  }
  g.newBand();
  g.add('head', 'SegmentationHead', { classes: 4, loss: 'dice_ce' }, [x]);
  return g.build();
}
