import { hashSeeds } from './prng';
import { renderShapeSample, type ShapeSample } from './renderSample';
import { SHAPE_CLASSES } from './shapes';

/** A lazily rendered split: samples are drawn on demand, so a split costs no memory up front. */
export interface SyntheticSplit {
  count: number;
  sample(i: number): ShapeSample;
}

/** Stream tags that separate the train and val seeds derived from one user seed. */
const TRAIN_STREAM = 1;
const VAL_STREAM = 2;

/**
 * Train and val splits of the shapes set. They draw from different seed streams derived
 * from `seed`, so no val image is a train image, and growing `trainCount` never changes
 * the val set (nor the other way round).
 */
export function syntheticClassification(options: { trainCount: number; valCount: number; size: number; seed: number }): {
  classes: readonly string[];
  train: SyntheticSplit;
  val: SyntheticSplit;
} {
  const { trainCount, valCount, size, seed } = options;
  for (const [name, n] of [['trainCount', trainCount], ['valCount', valCount]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  }
  return {
    classes: SHAPE_CLASSES,
    train: split(trainCount, hashSeeds(seed, TRAIN_STREAM), size),
    val: split(valCount, hashSeeds(seed, VAL_STREAM), size),
  };
}

function split(count: number, seed: number, size: number): SyntheticSplit {
  return {
    count,
    sample(i) {
      if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`Sample ${i} is outside this split of ${count}`);
      return renderShapeSample(i, { seed, size });
    },
  };
}
