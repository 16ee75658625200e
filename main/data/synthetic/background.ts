import type { Rgb } from './colours';
import type { Rng } from './prng';

/**
 * A textured background: two plane waves of random direction and period blend a base
 * colour with a nearby second colour (stripes, plaids, soft blobs). Texture gives the
 * network edges that are not the shape, so it has to learn shape rather than "any edge".
 * The second colour stays within ±TEXTURE_SPREAD of the first, which bounds how far the
 * background strays from its mean and so keeps the foreground contrast guarantee local.
 */

export const TEXTURE_SPREAD = 0.2;
export const TEXTURE_MIN_SPREAD = 0.06;

export interface Texture {
  base: Rgb;
  second: Rgb;
  /** Per wave: column terms sin/cos(ax·x + φ) and row terms sin/cos(ay·y). */
  waves: { sx: Float64Array; cx: Float64Array; sy: Float64Array; cy: Float64Array }[];
}

export function randomTexture(rng: Rng, size: number, base: Rgb): Texture {
  const second = base.map((c) => {
    // At least TEXTURE_MIN_SPREAD per channel so no background is flat; reflected rather
    // than clamped at 0 and 1 so the spread survives near-black and near-white bases.
    const offset = rng.range(TEXTURE_MIN_SPREAD, TEXTURE_SPREAD) * (rng() < 0.5 ? -1 : 1);
    return c + offset >= 0 && c + offset <= 1 ? c + offset : c - offset;
  }) as Rgb;
  const waves = [0, 1].map(() => {
    const period = rng.range(6, Math.max(8, size));
    const angle = rng.range(0, Math.PI);
    const phase = rng.range(0, 2 * Math.PI);
    const k = (2 * Math.PI) / period;
    const ax = k * Math.cos(angle);
    const ay = k * Math.sin(angle);
    const wave = { sx: new Float64Array(size), cx: new Float64Array(size), sy: new Float64Array(size), cy: new Float64Array(size) };
    // sin(ax·x + ay·y + φ) = sin(ax·x + φ)·cos(ay·y) + cos(ax·x + φ)·sin(ay·y): 4·size trig calls instead of size².
    for (let i = 0; i < size; i++) {
      wave.sx[i] = Math.sin(ax * i + phase);
      wave.cx[i] = Math.cos(ax * i + phase);
      wave.sy[i] = Math.sin(ay * i);
      wave.cy[i] = Math.cos(ay * i);
    }
    return wave;
  });
  return { base, second, waves };
}

/** The mean colour of the texture, which the foreground must contrast with. */
export function textureMean(t: Texture): Rgb {
  return t.base.map((c, i) => (c + t.second[i]) / 2) as Rgb;
}

/** Writes the blend weight of `second` (in [0, 1]) for every pixel of row `y` into `out`. */
export function textureRow(t: Texture, y: number, out: Float64Array): Float64Array {
  const [a, b] = t.waves;
  const acy = 0.25 * a.cy[y];
  const asy = 0.25 * a.sy[y];
  const bcy = 0.25 * b.cy[y];
  const bsy = 0.25 * b.sy[y];
  for (let x = 0; x < out.length; x++) out[x] = 0.5 + a.sx[x] * acy + a.cx[x] * asy + b.sx[x] * bcy + b.cx[x] * bsy;
  return out;
}
