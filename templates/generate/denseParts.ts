import type { GraphBuilder } from './builder';
import { basicBlock, convBnRelu } from './resnetParts';

/** Conv 3×3 (no bias) → BatchNorm → ReLU with a dilation, padded to keep the size (DeepLab's atrous convs). */
export function dilatedConvBnRelu(g: GraphBuilder, id: string, input: string, out: number, dilation: number, row = 0): string {
  const x = g.add(`${id}_conv`, 'Conv2d', { outChannels: out, kernel: 3, stride: 1, padding: dilation, dilation, bias: false }, [input], row);
  return g.add(`${id}_relu`, 'ReLU', {}, [g.add(`${id}_bn`, 'BatchNorm', {}, [x], row)], row);
}

/** Two 3×3 Conv-BN-ReLU units, one U-Net level's worth of convolution. */
export function doubleConv(g: GraphBuilder, id: string, input: string, out: number): string {
  return convBnRelu(g, `${id}_b`, convBnRelu(g, `${id}_a`, input, out, 3, 1, 1), out, 3, 1, 1);
}

/** Feature maps of a small residual backbone at strides 4, 8, 16 and 32. */
export interface Pyramid {
  c2: string;
  c3: string;
  c4: string;
  c5: string;
}

/** Channels of the pyramid backbone's stem and of its stages at strides 4/8/16/32. */
export const PYRAMID_CHANNELS = { stem: 16, c2: 32, c3: 64, c4: 128, c5: 256 } as const;

/**
 * A small ResNet-style backbone for 128×128 inputs: a stride-2 stem and four BasicBlock stages
 * of stride 2 each (one band per stage), giving C2..C5 at strides 4, 8, 16 and 32.
 */
export function pyramidBackbone(g: GraphBuilder, input: string): Pyramid {
  const ch = PYRAMID_CHANNELS;
  const stem = convBnRelu(g, 'stem', input, ch.stem, 3, 2, 1);
  const c2 = basicBlock(g, 'stage2', stem, ch.stem, ch.c2, 2);
  const c3 = basicBlock(g, 'stage3', c2, ch.c2, ch.c3, 2);
  const c4 = basicBlock(g, 'stage4', c3, ch.c3, ch.c4, 2);
  const c5 = basicBlock(g, 'stage5', c4, ch.c4, ch.c5, 2);
  return { c2, c3, c4, c5 };
}

/**
 * Feature pyramid network (Lin et al. 2017) over C3..C5: 1×1 lateral convs to `width` channels,
 * a top-down path of ×2 nearest Upsample + Add, and a 3×3 smoothing conv per level. Returns
 * P3, P4, P5 (finest first), each of `width` channels.
 */
export function featurePyramid(g: GraphBuilder, { c3, c4, c5 }: Pyramid, width: number): [string, string, string] {
  g.newBand();
  const lateral = (id: string, x: string, row: number) => g.add(`fpn_lateral${id}`, 'Conv2d', { outChannels: width, kernel: 1, padding: 0 }, [x], row);
  const smooth = (id: string, x: string, row: number) => g.add(`fpn_p${id}`, 'Conv2d', { outChannels: width, kernel: 3, padding: 1 }, [x], row);
  const m5 = lateral('5', c5, 0);
  const m4 = g.add('fpn_merge4', 'Add', {}, [g.add('fpn_up5', 'Upsample', { scale: 2 }, [m5]), lateral('4', c4, 1)]);
  const m3 = g.add('fpn_merge3', 'Add', {}, [g.add('fpn_up4', 'Upsample', { scale: 2 }, [m4]), lateral('3', c3, 1)]);
  return [smooth('3', m3, 0), smooth('4', m4, 1), smooth('5', m5, 2)];
}

/** Anchors [w,h] per level for strides 8/16/32: 2·stride at aspect ratios 1, 2:1 and 1:2 (rounded). */
export const PYRAMID_ANCHORS = [8, 16, 32].map((stride) => {
  const s = 2 * stride;
  const r = Math.SQRT2;
  return [
    [s, s],
    [Math.round(s * r), Math.round(s / r)],
    [Math.round(s / r), Math.round(s * r)],
  ];
});
