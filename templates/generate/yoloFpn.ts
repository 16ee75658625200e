import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { PYRAMID_ANCHORS, featurePyramid, pyramidBackbone } from './denseParts';

/** Channels of every FPN level. */
export const FPN_WIDTH = 64;

/**
 * A small one-stage detector: a residual backbone with C3/C4/C5 at strides 8/16/32, an FPN
 * (lateral 1×1, top-down Upsample + Add, 3×3 smoothing) and an anchor-based DetectionHead over
 * the three levels, 3 anchors per cell.
 */
export function yoloFpn(): GraphIR {
  const g = new GraphBuilder('yolo_fpn', {
    description:
      'A small YOLO-style detector for 128x128 images and 3 classes: a residual backbone (16→32→64→128→256 channels) with features at strides 8, 16 and 32, a 64-channel FPN (1×1 laterals, top-down ×2 upsampling + add, 3×3 smoothing) and an anchor-based head over the three levels (3 anchors per cell, 1008 anchors): box deltas, objectness and class logits, trained with focal + smooth-L1 losses.',
    tasks: ['detection'],
    recipe: { epochs: 30, batchSize: 16, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: ['hflip'] },
  });
  const input = g.add('input', 'Input', { channels: 3, height: 128, width: 128 }, []);
  const levels = featurePyramid(g, pyramidBackbone(g, input), FPN_WIDTH);
  g.newBand();
  g.add('head', 'DetectionHead', { classes: 3, anchorsPerCell: 3, anchorSizes: PYRAMID_ANCHORS }, levels);
  return g.build();
}
