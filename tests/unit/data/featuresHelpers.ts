/**
 * Hand-made image measurements for the synthetic-data tests. They work from the pixels
 * alone (no generator internals), so they check what a network would actually see.
 */

export function lumaOf(pixels: Float32Array): Float64Array {
  const out = new Float64Array(pixels.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * pixels[3 * i] + 0.587 * pixels[3 * i + 1] + 0.114 * pixels[3 * i + 2];
  return out;
}

/** Otsu's threshold over a 256-bin histogram of values in [0, 1]. */
export function otsuThreshold(values: Float64Array): number {
  const hist = new Float64Array(256);
  for (const v of values) hist[Math.min(255, Math.floor(v * 256))]++;
  const total = values.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i];
  let best = 0;
  let bestVar = -1;
  let wB = 0;
  let sumB = 0;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0 || wB === total) continue;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / (total - wB);
    const between = wB * (total - wB) * (mB - mF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return (best + 1) / 256;
}

/**
 * Foreground recovered from pixels: threshold luma with Otsu, and call foreground the side
 * the image corners are not on (the generator keeps shapes off the corners).
 */
export function foregroundFromPixels(pixels: Float32Array, size: number): Uint8Array {
  const luma = lumaOf(pixels);
  const t = otsuThreshold(luma);
  const corners = [0, size - 1, (size - 1) * size, size * size - 1];
  const cornersAbove = corners.filter((i) => luma[i] > t).length;
  const fgAbove = cornersAbove < 2;
  return Uint8Array.from(luma, (v) => (v > t === fgAbove ? 1 : 0));
}

/**
 * Area over the area of the centroid-centred disk that holds the shape:
 * 1 for a disk, 2/π ≈ 0.64 for a square, ≈ 0.41 for a triangle, whatever the rotation.
 * The radius ignores pixels with fewer than two foreground 4-neighbours, so a stray noise
 * pixel cannot inflate it.
 */
export function diskFillRatio(mask: Uint8Array, size: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    n++;
    sx += i % size;
    sy += Math.floor(i / size);
  }
  const cx = sx / n;
  const cy = sy / n;
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < size && y < size ? mask[y * size + x] : 0);
  let r2 = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!at(x, y) || at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) < 2) continue;
      r2 = Math.max(r2, (x - cx) ** 2 + (y - cy) ** 2);
    }
  }
  return n / (Math.PI * (Math.sqrt(r2) + 0.5) ** 2);
}
