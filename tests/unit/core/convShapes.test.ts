import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../main/core';

const conv = getBlock('Conv2d')!;
const pool = getBlock('MaxPool')!;

/** The published formula, written independently of the implementation: floor((W − D(K−1) − 1 + 2P)/S) + 1. */
const expected = (w: number, k: number, s: number, p: number, d: number) => Math.floor((w - d * (k - 1) - 1 + 2 * p) / s) + 1;

describe('Conv2d output size follows floor((W − D(K−1) − 1 + 2P)/S) + 1', () => {
  const cases: [number, number, number, number, number][] = [];
  for (const w of [7, 8, 32, 33, 224]) for (const k of [1, 3, 5, 7]) for (const s of [1, 2, 3]) for (const p of [0, 1, 3]) for (const d of [1, 2]) cases.push([w, k, s, p, d]);

  it.each(cases)('W=%i K=%i S=%i P=%i D=%i', (w, k, s, p, d) => {
    const params = conv.params.parse({ outChannels: 4, kernel: k, stride: s, padding: p, dilation: d });
    const span = d * (k - 1) + 1;
    if (span > w + 2 * p) {
      expect(() => conv.inferShape({ in: [[2, w, w]] }, params)).toThrow(/kernel span/);
      return;
    }
    expect(conv.inferShape({ in: [[2, w, w]] }, params)).toEqual([4, expected(w, k, s, p, d), expected(w, k, s, p, d)]);
  });

  it.each([
    [224, 1, 224],
    [224, 2, 112],
    [7, 2, 4],
    [33, 3, 11],
  ])("'same' keeps ceil(W/S): W=%i S=%i → %i", (w, s, out) => {
    expect(conv.inferShape({ in: [[3, w, w]] }, conv.params.parse({ outChannels: 8, kernel: 3, stride: s, padding: 'same' }))).toEqual([8, out, out]);
  });

  it('counts grouped-conv params as K·K·(C/g)·O + bias', () => {
    const params = conv.params.parse({ outChannels: 32, kernel: 3, groups: 4 });
    expect(conv.countParams({ in: [[16, 8, 8]] }, params)).toEqual({ params: 9 * 4 * 32 + 32, buffers: 0 });
  });

  it('MaxPool 3x3 s2 p1 on 112 gives 56 (the ResNet stem)', () => {
    expect(pool.inferShape({ in: [[64, 112, 112]] }, pool.params.parse({ kernel: 3, stride: 2, padding: 1 }))).toEqual([64, 56, 56]);
  });
});
