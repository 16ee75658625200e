/**
 * Rendered or decoded samples kept in memory as 8-bit pixels, so every epoch after the first
 * costs a copy instead of a render. Every sample is served quantised to 1/255 — the first
 * time too — so a sample's values never depend on whether it came from the cache: a resumed
 * run sees exactly the pixels an uninterrupted one saw. Real image files are 8-bit anyway.
 */

/** A split of labelled images, HWC float32 in [0,1] (structurally the trainer's LabelledSplit). */
export interface PixelSplit {
  count: number;
  sample(index: number): { pixels: Float32Array; label: number };
}

/** Above this many pixel bytes the split is not cached (samples are still quantised). */
export const DEFAULT_CACHE_BYTES = 1536 * 1024 * 1024;

function quantise(pixels: Float32Array): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  return out;
}

function expand(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/**
 * Wraps a split so each sample is rendered once. `pixelsPerSample` sizes the cache up front;
 * when the whole split would exceed `maxBytes`, nothing is kept and every call renders.
 */
export function cachedSplit(split: PixelSplit, pixelsPerSample: number, maxBytes = DEFAULT_CACHE_BYTES): PixelSplit {
  const keep = split.count * pixelsPerSample <= maxBytes;
  const pixels: (Uint8Array | undefined)[] = keep ? new Array(split.count) : [];
  const labels = keep ? new Int32Array(split.count) : new Int32Array(0);
  return {
    count: split.count,
    sample(index) {
      const cached = pixels[index];
      if (cached) return { pixels: expand(cached), label: labels[index] };
      const { pixels: rendered, label } = split.sample(index);
      const bytes = quantise(rendered);
      if (keep) {
        pixels[index] = bytes;
        labels[index] = label;
      }
      return { pixels: expand(bytes), label };
    },
  };
}
