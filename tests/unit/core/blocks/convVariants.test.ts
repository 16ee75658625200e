import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../../main/core';

const depthwise = getBlock('DepthwiseConv2d')!;
const separable = getBlock('SeparableConv2d')!;
const transpose = getBlock('ConvTranspose2d')!;

/** Published formulas, written independently of the implementation. */
const convOut = (w: number, k: number, s: number, p: number, d: number) => Math.floor((w - d * (k - 1) - 1 + 2 * p) / s) + 1;
const transposeOut = (w: number, k: number, s: number, p: number, op: number) => (w - 1) * s - 2 * p + k + op;

describe('DepthwiseConv2d', () => {
  const cases: [number, number, number, number, number, number, number][] = [];
  for (const [c, w] of [[3, 7], [32, 56], [16, 15]]) for (const k of [1, 3, 5]) for (const s of [1, 2]) for (const p of [0, 1, 2]) for (const m of [1, 2]) cases.push([c, w, k, s, p, m, 1]);
  cases.push([8, 20, 3, 1, 2, 1, 2], [8, 9, 5, 1, 0, 3, 2]);

  it.each(cases)('C=%i W=%i K=%i S=%i P=%i M=%i D=%i: shape floor((W−D(K−1)−1+2P)/S)+1, params K·K·C·M + C·M', (c, w, k, s, p, m, d) => {
    const params = depthwise.params.parse({ kernel: k, stride: s, padding: p, depthMultiplier: m, dilation: d });
    const o = convOut(w, k, s, p, d);
    expect(depthwise.inferShape({ in: [[c, w, w]] }, params)).toEqual([c * m, o, o]);
    expect(depthwise.countParams({ in: [[c, w, w]] }, params)).toEqual({ params: k * k * c * m + c * m, buffers: 0 });
    expect(depthwise.countFlops({ in: [[c, w, w]] }, [c * m, o, o], params)).toBe(2 * k * k * c * m * o * o + c * m * o * o);
  });

  it('MobileNetV2 3×3 depthwise on 32×112×112 without bias: 288 params', () => {
    const params = depthwise.params.parse({ bias: false });
    expect(depthwise.countParams({ in: [[32, 112, 112]] }, params)).toEqual({ params: 288, buffers: 0 });
    expect(depthwise.inferShape({ in: [[32, 112, 112]] }, depthwise.params.parse({ stride: 2 }))).toEqual([32, 56, 56]);
  });

  it.each([
    [[4, 2, 2], 3, 0],
    [[4, 5, 5], 7, 0],
    [[4, 3, 3], 3, 0, 2],
  ])('kernel larger than input %j K=%i P=%i is an invalid_shape naming the kernel span and input', (shape, k, p, d = 1) => {
    const params = depthwise.params.parse({ kernel: k, padding: p, dilation: d });
    expect(() => depthwise.inferShape({ in: [shape] }, params)).toThrow(new RegExp(`kernel span ${d * (k - 1) + 1} is larger than the padded input \\[${shape.join(',')}\\]`));
  });

  it('rejects a [F] vector, a zero multiplier and unknown params', () => {
    expect(() => depthwise.inferShape({ in: [[16]] }, depthwise.params.parse({}))).toThrow(/\[C,H,W\].*\[16\]/);
    expect(depthwise.params.safeParse({ depthMultiplier: 0 }).success).toBe(false);
    expect(depthwise.params.safeParse({ groups: 2 }).success).toBe(false);
  });
});

describe('SeparableConv2d', () => {
  it.each([
    [32, 56, 64, 3, 1, 1, 1],
    [32, 56, 64, 3, 2, 1, 1],
    [3, 15, 8, 5, 1, 2, 3],
    [16, 7, 4, 1, 1, 0, 2],
  ])('C=%i W=%i O=%i K=%i S=%i P=%i M=%i: params K·K·C·M + C·M·O + O', (c, w, o, k, s, p, m) => {
    const params = separable.params.parse({ outChannels: o, kernel: k, stride: s, padding: p, depthMultiplier: m });
    const n = convOut(w, k, s, p, 1);
    expect(separable.inferShape({ in: [[c, w, w]] }, params)).toEqual([o, n, n]);
    expect(separable.countParams({ in: [[c, w, w]] }, params)).toEqual({ params: k * k * c * m + c * m * o + o, buffers: 0 });
  });

  it('without bias drops exactly O params', () => {
    const withBias = separable.countParams({ in: [[8, 9, 9]] }, separable.params.parse({ outChannels: 5 })).params;
    const without = separable.countParams({ in: [[8, 9, 9]] }, separable.params.parse({ outChannels: 5, bias: false })).params;
    expect(withBias - without).toBe(5);
  });

  it('requires outChannels', () => {
    expect(separable.params.safeParse({}).success).toBe(false);
  });
});

describe('ConvTranspose2d output (W−1)·S − 2P + K + outputPadding', () => {
  const cases: [number, number, number, number, number][] = [];
  for (const w of [1, 4, 7, 14]) for (const k of [1, 2, 3, 4]) for (const s of [1, 2, 3]) for (const p of [0, 1]) for (const op of [0, 1, 2]) if (op < s) cases.push([w, k, s, p, op]);

  it.each(cases)('W=%i K=%i S=%i P=%i outputPadding=%i', (w, k, s, p, op) => {
    const params = transpose.params.parse({ outChannels: 6, kernel: k, stride: s, padding: p, outputPadding: op });
    const o = transposeOut(w, k, s, p, op);
    if (o <= 0) {
      expect(() => transpose.inferShape({ in: [[3, w, w]] }, params)).toThrow(/not positive/);
      return;
    }
    expect(transpose.inferShape({ in: [[3, w, w]] }, params)).toEqual([6, o, o]);
    expect(transpose.countParams({ in: [[3, w, w]] }, params)).toEqual({ params: k * k * 3 * 6 + 6, buffers: 0 });
  });

  it('U-Net up-convolution 2×2 s2 doubles 28 → 56 with 512→256 channels: 524,544 params', () => {
    const params = transpose.params.parse({ outChannels: 256 });
    expect(transpose.inferShape({ in: [[512, 28, 28]] }, params)).toEqual([256, 56, 56]);
    expect(transpose.countParams({ in: [[512, 28, 28]] }, params).params).toBe(2 * 2 * 512 * 256 + 256);
  });

  it.each([
    [2, 2],
    [1, 3],
  ])('stride %i with outputPadding %i is an invalid_param naming both', (s, op) => {
    const params = transpose.params.parse({ outChannels: 2, stride: s, outputPadding: op });
    expect(() => transpose.inferShape({ in: [[3, 4, 4]] }, params)).toThrow(`outputPadding ${op} must be smaller than stride ${s}`);
  });

  it('rejects a negative padding', () => {
    expect(transpose.params.safeParse({ outChannels: 2, padding: -1 }).success).toBe(false);
  });
});
