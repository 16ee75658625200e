/**
 * Small seedable PRNGs for deterministic synthetic data. Math.random cannot be seeded, and
 * each sample needs its own independent stream so any index can be rendered on its own
 * (random access for shuffled loaders, and the same pixels on every machine).
 */

/** A 32-bit integer hash (the splitmix32 / murmur3 finaliser): nearby inputs give unrelated outputs. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Combines integers into one seed, order-sensitive: `hashSeeds(a, b) !== hashSeeds(b, a)`. */
export function hashSeeds(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = mix32(h ^ mix32(p | 0) ^ mix32(Math.floor(p / 0x100000000)));
  return h;
}

/** A stream of uniform numbers in [0, 1) from mulberry32: 32-bit state, fast, good enough for pixels. */
export interface Rng {
  (): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** The raw 32-bit output, for callers that split it into bytes (pixel noise). */
  u32(): number;
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const u32 = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (() => u32() / 4294967296) as Rng;
  next.u32 = u32;
  next.range = (lo, hi) => lo + (hi - lo) * next();
  next.int = (n) => Math.floor(next() * n);
  return next;
}
