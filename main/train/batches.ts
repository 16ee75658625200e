/** A split of labelled images, each HWC float32 in [0,1]. */
export interface LabelledSplit {
  count: number;
  sample(index: number): { pixels: Float32Array; label: number };
}

export interface ClassificationBatch {
  /** NHWC pixels of `count` images. */
  x: Float32Array;
  labels: Int32Array;
  count: number;
}

/** A permutation of 0..count-1, the same for the same seed and epoch (mulberry32 + Fisher–Yates). */
export function shuffledOrder(count: number, seed: number, epoch: number): number[] {
  let state = (seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Batches in the given order; the last one may be smaller. */
export function* classificationBatches(split: LabelledSplit, batchSize: number, order: number[], pixelsPerImage: number): Generator<ClassificationBatch> {
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const x = new Float32Array(indices.length * pixelsPerImage);
    const labels = new Int32Array(indices.length);
    indices.forEach((index, i) => {
      const { pixels, label } = split.sample(index);
      if (pixels.length !== pixelsPerImage) {
        throw new Error(`Sample ${index} has ${pixels.length} values, the model's input needs ${pixelsPerImage}`);
      }
      x.set(pixels, i * pixelsPerImage);
      labels[i] = label;
    });
    yield { x, labels, count: indices.length };
  }
}
