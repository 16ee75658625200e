import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../main/data/synthetic';
import { insideContours, placeContours, rasterizeContours } from '../../../main/data/synthetic/rasterize';
import { SHAPES } from '../../../main/data/synthetic/shapes';

describe('shape rasteriser', () => {
  it('every outline fits in the unit disk, so placement keeps shapes inside the image', () => {
    for (const shape of SHAPES) {
      for (const c of shape.contours) {
        for (let i = 0; i < c.length; i += 2) expect(Math.hypot(c[i], c[i + 1])).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
  });

  it('scanline fill agrees pixel for pixel with the even-odd point test', () => {
    const rng = mulberry32(99);
    const size = 48;
    const mask = new Uint8Array(size * size);
    for (let trial = 0; trial < 60; trial++) {
      const shape = SHAPES[trial % SHAPES.length];
      // Some placements hang off the image, to exercise clipping too.
      const placed = placeContours(shape.contours, { cx: rng.range(-5, size + 5), cy: rng.range(-5, size + 5), radius: rng.range(3, 30), angle: rng.range(0, 7) });
      rasterizeContours(placed, size, mask);
      let mismatches = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) if (mask[y * size + x] !== (insideContours(placed, x + 0.5, y + 0.5) ? 1 : 0)) mismatches++;
      }
      expect(mismatches, `${shape.name} trial ${trial}`).toBe(0);
    }
  });

  it('fills the expected area: a disk of radius 20 covers π·400 pixels to within 1%', () => {
    const size = 64;
    const mask = rasterizeContours(placeContours(SHAPES[0].contours, { cx: 32, cy: 32, radius: 20, angle: 0.3 }), size, new Uint8Array(size * size));
    const area = mask.reduce((s, v) => s + v, 0);
    expect(Math.abs(area - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.01);
    // The ring's hole is empty: its centre pixel is background, its rim is not.
    const ring = rasterizeContours(placeContours(SHAPES[5].contours, { cx: 32, cy: 32, radius: 20, angle: 0 }), size, new Uint8Array(size * size));
    expect(ring[32 * size + 32]).toBe(0);
    expect(ring[32 * size + 32 + 16]).toBe(1);
  });
});
