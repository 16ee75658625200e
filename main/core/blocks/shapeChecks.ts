import { ShapeError, formatShape } from '../errors';
import type { PortShapes, Shape } from './types';

/** The single shape on a one-edge port. */
export function single(inputs: PortShapes, port = 'in'): Shape {
  return inputs[port][0];
}

export function expectRank(blockType: string, shape: Shape, rank: number, what: string, port = 'in'): void {
  if (shape.length !== rank) {
    throw new ShapeError('shape_mismatch', `${blockType} expects ${what} (rank ${rank}) but got ${formatShape(shape)}`, port);
  }
}

export function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Output size of a convolution or pooling window: floor((W + 2P - D(K-1) - 1) / S) + 1. */
export function windowOutputSize(size: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Padding that keeps size/stride (rounded up), as TF's 'same' does, expressed per side (may be fractional). */
export function samePaddingTotal(size: number, kernel: number, stride: number, dilation = 1): number {
  const out = Math.ceil(size / stride);
  return Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
}
