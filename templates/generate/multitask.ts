import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { PYRAMID_ANCHORS, doubleConv, featurePyramid, pyramidBackbone } from './denseParts';
import { FPN_WIDTH } from './yoloFpn';

/** Loss weights of the seed recipe: L = 0.5·CE + 1.0·Det + 0.5·(Dice+CE). */
export const MULTITASK_WEIGHTS = { classification: 0.5, detection: 1, segmentation: 0.5 } as const;

/**
 * One shared backbone, three heads: scene classification from the deepest features, detection
 * over an FPN, and a two-class (foreground/background) U-Net-style decoder on P3 + C2.
 */
export function multitask(): GraphIR {
  const w = MULTITASK_WEIGHTS;
  const g = new GraphBuilder('multitask', {
    description:
      'A multi-task net for 128x128 images: one residual backbone shared by a 4-class scene classifier (global pooling of the stride-32 features), a 3-class anchor-based detector over a 64-channel FPN (strides 8/16/32) and a 2-class foreground/background segmenter (P3 upsampled ×2 and concatenated with the stride-4 features, U-Net style). Seed recipe: L = 0.5·CE + 1.0·Det + 0.5·(Dice+CE).',
    tasks: ['classification', 'detection', 'segmentation'],
    recipe: { epochs: 30, batchSize: 16, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: ['hflip'] },
  });
  const input = g.add('input', 'Input', { channels: 3, height: 128, width: 128 }, []);
  const backbone = pyramidBackbone(g, input);
  const levels = featurePyramid(g, backbone, FPN_WIDTH);

  g.newBand();
  const pooled = g.add('cls_pool', 'GlobalAvgPool', {}, [backbone.c5]);
  g.add('cls_head', 'ClassificationHead', { classes: 4, lossWeight: w.classification }, [pooled]);

  g.newBand();
  g.add('det_head', 'DetectionHead', { classes: 3, anchorsPerCell: 3, anchorSizes: PYRAMID_ANCHORS, lossWeight: w.detection }, levels);

  g.newBand();
  const up = g.add('seg_up', 'Upsample', { scale: 2 }, [levels[0]]);
  const joined = g.add('seg_concat', 'Concat', {}, [up, backbone.c2]);
  const features = doubleConv(g, 'seg_dec', joined, 32);
  g.add('seg_head', 'SegmentationHead', { classes: 2, scale: 4, loss: 'dice_ce', lossWeight: w.segmentation }, [features]);
  return g.build();
}
