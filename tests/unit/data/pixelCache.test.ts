import { describe, expect, it } from 'vitest';
import { cachedSplit, type PixelSplit } from '../../../main/data/pixelCache';

/** A split that counts its renders; sample i is 4 pixels of value i/10 (+ a little) with label i % 3. */
function countingSplit(count: number): PixelSplit & { renders: number[] } {
  const renders: number[] = [];
  return {
    count,
    renders,
    sample(i) {
      renders.push(i);
      return { pixels: Float32Array.from([i / 10, i / 10 + 0.001, 1.2, -0.1]), label: i % 3 };
    },
  };
}

describe('cachedSplit', () => {
  it('renders each sample once and serves it quantised to 1/255, the first time too', () => {
    const split = countingSplit(3);
    const cached = cachedSplit(split, 4);
    const first = cached.sample(2);
    const again = cached.sample(2);
    expect(split.renders).toEqual([2]);
    // 0.2·255 = 51; 0.201·255 = 51.255 → 51; 1.2 clamps to 255; −0.1 clamps to 0.
    expect(Array.from(first.pixels)).toEqual([51 / 255, 51 / 255, 1, 0].map((v) => Math.fround(v)));
    expect(Array.from(again.pixels)).toEqual(Array.from(first.pixels));
    expect(again.label).toBe(2);
  });

  it('hands out a fresh array each time, so a caller writing into it cannot corrupt the cache', () => {
    const cached = cachedSplit(countingSplit(1), 4);
    cached.sample(0).pixels.fill(9);
    expect(cached.sample(0).pixels[0]).toBe(0);
  });

  it('keeps nothing when the split would not fit, and still quantises', () => {
    const split = countingSplit(3);
    const cached = cachedSplit(split, 4, 11); // 3 samples × 4 bytes = 12 > 11
    expect(cached.sample(1).pixels[0]).toBe(Math.fround(26 / 255)); // 0.1·255 = 25.5 → 26
    cached.sample(1);
    expect(split.renders).toEqual([1, 1]);
  });
});
