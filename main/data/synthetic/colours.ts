import type { Rng } from './prng';

/**
 * Colour choices. Colour must carry no class information, so foreground and background
 * are drawn the same way for every class; the only constraint is contrast, so the shape
 * is always visible to the network (and to people checking samples).
 */

export type Rgb = [number, number, number];

/** Rec. 601 luma: a cheap stand-in for perceived brightness. */
export function luma([r, g, b]: Rgb): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Minimum luma gap between the foreground and the background's mean colour. */
export const MIN_CONTRAST = 0.35;

export function randomColour(rng: Rng): Rgb {
  return [rng(), rng(), rng()];
}

/**
 * A random foreground whose luma differs from `background` by at least MIN_CONTRAST.
 * Rejection sampling keeps hue and saturation unbiased; when the background is mid-grey
 * and luck is bad, the last draw is pushed to the nearer extreme instead of looping on.
 */
export function contrastingColour(rng: Rng, background: Rgb): Rgb {
  const bg = luma(background);
  let fg = randomColour(rng);
  for (let attempt = 0; attempt < 12 && Math.abs(luma(fg) - bg) < MIN_CONTRAST; attempt++) fg = randomColour(rng);
  if (Math.abs(luma(fg) - bg) >= MIN_CONTRAST) return fg;
  // Lighten or darken towards white/black, keeping the hue, until the gap is met.
  const up = bg < 0.5;
  const target = up ? Math.min(1, bg + MIN_CONTRAST) : Math.max(0, bg - MIN_CONTRAST);
  const l = luma(fg);
  const t = up ? (target - l) / (1 - l) : (l - target) / l;
  return fg.map((c) => (up ? c + (1 - c) * t : c * (1 - t))) as Rgb;
}
