import type { Contour } from './shapes';

/** Where and how big a shape is drawn, in pixels and radians. */
export interface Placement {
  cx: number;
  cy: number;
  /** Radius of the shape's bounding circle. */
  radius: number;
  angle: number;
}

/** Maps unit-frame outlines to image coordinates: rotate by `angle`, scale by `radius`, move to the centre. */
export function placeContours(contours: readonly Contour[], p: Placement): Float64Array[] {
  const cos = Math.cos(p.angle) * p.radius;
  const sin = Math.sin(p.angle) * p.radius;
  return contours.map((c) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i += 2) {
      out[i] = p.cx + c[i] * cos - c[i + 1] * sin;
      out[i + 1] = p.cy + c[i] * sin + c[i + 1] * cos;
    }
    return out;
  });
}

/**
 * Even-odd point test: is (x, y) inside the outlines? The reference definition that
 * `rasterizeContours` must agree with pixel for pixel (the tests check it).
 */
export function insideContours(contours: readonly Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const c of contours) {
    const n = c.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = c[2 * i + 1];
      const yj = c[2 * j + 1];
      if (yi > y !== yj > y && x < c[2 * i] + ((y - yi) * (c[2 * j] - c[2 * i])) / (yj - yi)) inside = !inside;
    }
  }
  return inside;
}

/**
 * Fills `mask` (size×size, row-major) with 1 for every pixel whose centre is inside the
 * outlines. Hard tests, no anti-aliasing: pixels are exactly reproducible, and the mask is
 * ground truth a segmentation task can reuse. Scanline form of `insideContours`: per row,
 * the edge crossings are sorted and the spans between pairs filled, which costs
 * rows × edges instead of pixels × edges.
 */
export function rasterizeContours(contours: readonly Float64Array[], size: number, mask: Uint8Array): Uint8Array {
  mask.fill(0);
  let edges = 0;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const c of contours) {
    edges += c.length / 2;
    for (let i = 1; i < c.length; i += 2) {
      yMin = Math.min(yMin, c[i]);
      yMax = Math.max(yMax, c[i]);
    }
  }
  const xs = new Float64Array(edges);
  const rowStart = Math.max(0, Math.floor(yMin));
  const rowEnd = Math.min(size - 1, Math.ceil(yMax));
  for (let row = rowStart; row <= rowEnd; row++) {
    const y = row + 0.5;
    let count = 0;
    for (const c of contours) {
      const n = c.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const yi = c[2 * i + 1];
        const yj = c[2 * j + 1];
        if (yi > y !== yj > y) xs[count++] = c[2 * i] + ((y - yi) * (c[2 * j] - c[2 * i])) / (yj - yi);
      }
    }
    sortPrefix(xs, count);
    // A pixel centre x+0.5 is inside when an odd number of crossings lie to its right,
    // i.e. when xs[2k] <= x+0.5 < xs[2k+1] for some k.
    const base = row * size;
    for (let k = 0; k + 1 < count; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] - 0.5));
      const to = Math.min(size, Math.ceil(xs[k + 1] - 0.5));
      for (let x = from; x < to; x++) mask[base + x] = 1;
    }
  }
  return mask;
}

/** Insertion sort of xs[0..n): n is a handful of crossings per row, where this beats a library sort. */
function sortPrefix(xs: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = xs[i];
    let j = i - 1;
    while (j >= 0 && xs[j] > v) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = v;
  }
}
