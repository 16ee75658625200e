import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBlock, ShapeError } from '../../../../main/core';

/** The published formula, independent of the implementation: floor((W − D(K−1) − 1 + 2P)/S) + 1. */
const outSize = (w: number, k: number, s: number, p: number, d: number) => Math.floor((w - d * (k - 1) - 1 + 2 * p) / s) + 1;

const window = fc.record({
  size: fc.integer({ min: 1, max: 300 }),
  kernel: fc.integer({ min: 1, max: 11 }),
  stride: fc.integer({ min: 1, max: 4 }),
  padding: fc.integer({ min: 0, max: 5 }),
  dilation: fc.integer({ min: 1, max: 4 }),
  channels: fc.integer({ min: 1, max: 64 }),
});

/** Runs inferShape and returns the shape, or the ShapeError it throws. */
function infer(type: string, params: Record<string, unknown>, shape: number[]): number[] | ShapeError {
  const block = getBlock(type)!;
  try {
    return block.inferShape({ in: [shape] }, block.params.parse(params));
  } catch (e) {
    if (e instanceof ShapeError) return e;
    throw e;
  }
}

describe('shape inference properties (fast-check)', () => {
  it('Conv2d: output size is the formula whenever the dilated kernel fits the padded input, an error otherwise', () => {
    fc.assert(
      fc.property(window, ({ size, kernel, stride, padding, dilation, channels }) => {
        const result = infer('Conv2d', { outChannels: 7, kernel, stride, padding, dilation }, [channels, size, size]);
        const fits = dilation * (kernel - 1) + 1 <= size + 2 * padding;
        if (!fits) return result instanceof ShapeError;
        const o = outSize(size, kernel, stride, padding, dilation);
        return Array.isArray(result) && result[0] === 7 && result[1] === o && result[2] === o;
      }),
      { numRuns: 2000 },
    );
  });

  it('DepthwiseConv2d keeps channels × multiplier and follows the same formula', () => {
    fc.assert(
      fc.property(window, fc.integer({ min: 1, max: 4 }), ({ size, kernel, stride, padding, channels }, multiplier) => {
        fc.pre(kernel <= size + 2 * padding);
        const result = infer('DepthwiseConv2d', { kernel, stride, padding, depthMultiplier: multiplier }, [channels, size, size]);
        const o = outSize(size, kernel, stride, padding, 1);
        return Array.isArray(result) && result[0] === channels * multiplier && result[1] === o && result[2] === o;
      }),
    );
  });

  it("'same' padding gives ceil(W/S) for any kernel", () => {
    fc.assert(
      fc.property(window, ({ size, kernel, stride, channels }) => {
        const result = infer('Conv2d', { outChannels: 3, kernel, stride, padding: 'same' }, [channels, size, size + 1]);
        return Array.isArray(result) && result[1] === Math.ceil(size / stride) && result[2] === Math.ceil((size + 1) / stride);
      }),
    );
  });

  it('ConvTranspose2d: (W−1)·S − 2P + K + outputPadding', () => {
    fc.assert(
      fc.property(window, fc.integer({ min: 0, max: 3 }), ({ size, kernel, stride, padding, channels }, outputPadding) => {
        fc.pre(outputPadding < stride);
        const expected = (size - 1) * stride - 2 * padding + kernel + outputPadding;
        const result = infer('ConvTranspose2d', { outChannels: 5, kernel, stride, padding, outputPadding }, [channels, size, size]);
        return expected > 0 ? Array.isArray(result) && result[1] === expected && result[2] === expected : result instanceof ShapeError;
      }),
    );
  });

  it('Conv2d params are K·K·(C/g)·O + bias for every valid grouping', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 7 }), fc.boolean(), (g, cPer, oPer, k, bias) => {
        const block = getBlock('Conv2d')!;
        const p = block.params.parse({ outChannels: g * oPer, kernel: k, groups: g, bias });
        expect(block.countParams({ in: [[g * cPer, 16, 16]] }, p).params).toBe(k * k * cPer * g * oPer + (bias ? g * oPer : 0));
      }),
    );
  });

  it('MaxPool and AvgPool follow the window formula', () => {
    fc.assert(
      fc.property(window, fc.constantFrom('MaxPool', 'AvgPool'), ({ size, kernel, stride, channels }, type) => {
        const padding = Math.floor(kernel / 2);
        fc.pre(kernel <= size + 2 * padding);
        const result = infer(type, { kernel, stride, padding }, [channels, size, size]);
        const o = outSize(size, kernel, stride, padding, 1);
        return Array.isArray(result) && result[0] === channels && result[1] === o;
      }),
    );
  });
});
