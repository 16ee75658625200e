import type { GraphBuilder } from './builder';

/**
 * The conv → BatchNorm → activation unit of torchvision's MobileNets and EfficientNet
 * (`Conv2dNormActivation`): the conv has no bias because BatchNorm follows it, and the padding is
 * (kernel − 1) / 2, so a stride-1 conv keeps the size and a stride-2 one halves it.
 */
export function convBnAct(g: GraphBuilder, id: string, input: string, out: number, kernel: number, stride: number, act: string | null, row = 0): string {
  let x = g.add(`${id}_conv`, 'Conv2d', { outChannels: out, kernel, stride, padding: (kernel - 1) / 2, bias: false }, [input], row);
  x = g.add(`${id}_bn`, 'BatchNorm', {}, [x], row);
  return act ? g.add(`${id}_act`, act, {}, [x], row) : x;
}

/**
 * Depthwise K×K conv (torchvision: Conv2d with groups = channels, bias=False) → BatchNorm →
 * activation. Our DepthwiseConv2d has a bias by default, so it is switched off here.
 */
export function dwBnAct(g: GraphBuilder, id: string, input: string, kernel: number, stride: number, act: string): string {
  let x = g.add(`${id}_dw`, 'DepthwiseConv2d', { kernel, stride, padding: (kernel - 1) / 2, bias: false }, [input]);
  x = g.add(`${id}_bn`, 'BatchNorm', {}, [x]);
  return g.add(`${id}_act`, act, {}, [x]);
}
