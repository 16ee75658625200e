import { randomTexture, textureMean, textureRow } from './background';
import { contrastingColour, randomColour } from './colours';
import { hashSeeds, mulberry32 } from './prng';
import { placeContours, rasterizeContours, type Placement } from './rasterize';
import { SHAPES } from './shapes';

/**
 * Bump whenever the pixels or labels for a given (seed, index, size) change, so a cached
 * or recorded dataset can tell it no longer matches what this build generates.
 */
export const SHAPES_GENERATOR_VERSION = 1;

/** Shape diameter as a fraction of the image side. */
export const SIZE_RANGE: readonly [number, number] = [0.3, 0.7];
/** Per-channel uniform pixel noise amplitude, drawn per image. */
export const NOISE_RANGE: readonly [number, number] = [0.02, 0.08];

export interface ShapeSample {
  /** HWC RGB, float32 in [0, 1], length size·size·3. */
  pixels: Float32Array;
  label: number;
}

export interface ShapeSampleDetail extends ShapeSample {
  /** 1 where the shape is (size·size, row-major): free segmentation ground truth. */
  mask: Uint8Array;
  placement: Placement;
}

/**
 * Renders sample `index` of the stream `seed`. Every sample draws from its own PRNG seeded
 * by (seed, index), so any sample can be rendered alone, in any order, on any machine, and
 * come out identical. Labels go round-robin (index mod 10): any 10 consecutive indices hold
 * one of each class, so every prefix of the stream is balanced to within one sample.
 */
export function renderShapeSample(index: number, options: { seed: number; size: number }): ShapeSample {
  const { pixels, label } = renderShapeSampleDetail(index, options);
  return { pixels, label };
}

export function renderShapeSampleDetail(index: number, { seed, size }: { seed: number; size: number }): ShapeSampleDetail {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`Sample index must be a non-negative integer, got ${index}`);
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`Image size must be an integer of at least 8 pixels, got ${size}`);
  if (!Number.isInteger(seed)) throw new RangeError(`Seed must be an integer, got ${seed}`);

  const rng = mulberry32(hashSeeds(seed, index));
  const label = index % SHAPES.length;

  const texture = randomTexture(rng, size, randomColour(rng));
  const fg = contrastingColour(rng, textureMean(texture));
  const radius = (rng.range(SIZE_RANGE[0], SIZE_RANGE[1]) * size) / 2;
  const placement: Placement = {
    radius,
    // The bounding circle stays inside the image, so the whole shape is visible.
    cx: rng.range(radius, size - radius),
    cy: rng.range(radius, size - radius),
    angle: rng.range(0, 2 * Math.PI),
  };
  const noise = rng.range(NOISE_RANGE[0], NOISE_RANGE[1]);
  const mask = rasterizeContours(placeContours(SHAPES[label].contours, placement), size, new Uint8Array(size * size));
  // Pixel noise from a local xorshift32: a call-free inner loop, seeded from the sample's stream.
  let state = rng.u32() || 1;

  const pixels = new Float32Array(size * size * 3);
  const [b0, b1, b2] = texture.base;
  const d0 = texture.second[0] - b0;
  const d1 = texture.second[1] - b1;
  const d2 = texture.second[2] - b2;
  const [f0, f1, f2] = fg;
  const scale = (2 * noise) / 255;
  const weights = new Float64Array(size);
  for (let y = 0, p = 0, o = 0; y < size; y++) {
    textureRow(texture, y, weights);
    for (let x = 0; x < size; x++, p++, o += 3) {
      let r: number, g: number, b: number;
      if (mask[p]) {
        r = f0;
        g = f1;
        b = f2;
      } else {
        const t = weights[x];
        r = b0 + d0 * t;
        g = b1 + d1 * t;
        b = b2 + d2 * t;
      }
      // One 32-bit draw gives three noise bytes.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const bits = state;
      pixels[o] = clamp01(r + ((bits & 0xff) - 127.5) * scale);
      pixels[o + 1] = clamp01(g + (((bits >>> 8) & 0xff) - 127.5) * scale);
      pixels[o + 2] = clamp01(b + (((bits >>> 16) & 0xff) - 127.5) * scale);
    }
  }
  return { pixels, label, mask, placement };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
