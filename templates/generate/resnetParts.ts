import type { GraphBuilder } from './builder';

/** Conv (no bias) → BatchNorm → optional ReLU, the unit every ResNet is made of. */
export function convBnRelu(g: GraphBuilder, id: string, input: string, out: number, kernel: number, stride: number, padding: number, relu = true, row = 0): string {
  let x = g.add(`${id}_conv`, 'Conv2d', { outChannels: out, kernel, stride, padding, bias: false }, [input], row);
  x = g.add(`${id}_bn`, 'BatchNorm', {}, [x], row);
  return relu ? g.add(`${id}_relu`, 'ReLU', {}, [x], row) : x;
}

/** ResNet BasicBlock (two 3×3 convs) with a 1×1 projection shortcut when the shape changes. */
export function basicBlock(g: GraphBuilder, id: string, input: string, inChannels: number, outChannels: number, stride: number): string {
  g.newBand();
  const start = g.currentColumn;
  let x = convBnRelu(g, `${id}_a`, input, outChannels, 3, stride, 1);
  x = convBnRelu(g, `${id}_b`, x, outChannels, 3, 1, 1, false);
  let skip = input;
  if (stride !== 1 || inChannels !== outChannels) {
    skip = g.branchAt(start, () => convBnRelu(g, `${id}_down`, input, outChannels, 1, stride, 0, false, 1));
  }
  const sum = g.add(`${id}_add`, 'Add', {}, [x, skip]);
  return g.add(`${id}_relu`, 'ReLU', {}, [sum]);
}

/**
 * ResNet Bottleneck (1×1 reduce, 3×3, 1×1 expand ×4), stride on the 3×3 conv as in
 * torchvision's ResNet v1.5, with a 1×1 projection shortcut when the shape changes.
 */
export function bottleneck(g: GraphBuilder, id: string, input: string, inChannels: number, width: number, stride: number): string {
  g.newBand();
  const start = g.currentColumn;
  const outChannels = 4 * width;
  let x = convBnRelu(g, `${id}_a`, input, width, 1, 1, 0);
  x = convBnRelu(g, `${id}_b`, x, width, 3, stride, 1);
  x = convBnRelu(g, `${id}_c`, x, outChannels, 1, 1, 0, false);
  let skip = input;
  if (stride !== 1 || inChannels !== outChannels) {
    skip = g.branchAt(start, () => convBnRelu(g, `${id}_down`, input, outChannels, 1, stride, 0, false, 1));
  }
  const sum = g.add(`${id}_add`, 'Add', {}, [x, skip]);
  return g.add(`${id}_relu`, 'ReLU', {}, [sum]);
}
