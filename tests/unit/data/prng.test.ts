import { describe, expect, it } from 'vitest';
import { hashSeeds, mix32, mulberry32 } from '../../../main/data/synthetic';

describe('seedable PRNG', () => {
  it('repeats a stream for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(sa);
  });

  it('is roughly uniform on [0, 1)', () => {
    const rng = mulberry32(7);
    const bins = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = rng();
      min = Math.min(min, v);
      max = Math.max(max, v);
      bins[Math.floor(v * 10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Each bin expects 10,000 with σ ≈ 95: 600 is more than 6σ.
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });

  it('keeps range() and int() within bounds', () => {
    const rng = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const r = rng.range(-2, 3);
      expect(r).toBeGreaterThanOrEqual(-2);
      expect(r).toBeLessThan(3);
      const n = rng.int(7);
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true);
    }
  });

  it('hashes seeds order-sensitively and spreads nearby inputs', () => {
    expect(hashSeeds(1, 2)).not.toBe(hashSeeds(2, 1));
    expect(hashSeeds(1, 2)).toBe(hashSeeds(1, 2));
    const outs = new Set(Array.from({ length: 1000 }, (_, i) => hashSeeds(5, i)));
    expect(outs.size).toBe(1000);
    // Large seeds must not collapse onto their low 32 bits.
    expect(hashSeeds(2 ** 32 + 1)).not.toBe(hashSeeds(1));
    expect(mix32(0)).not.toBe(0);
  });
});
