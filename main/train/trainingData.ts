import { cachedSplit } from '../data/pixelCache';
import { syntheticClassification } from '../data/synthetic';
import type { LabelledSplit } from './batches';
import type { DataSpec } from './protocol';

/** Opens the train and val splits a job names, checked against the model's input [H,W,C]. */
export function openTrainingData(spec: DataSpec, inputHWC: number[]): { train: LabelledSplit; val: LabelledSplit } {
  const [height, width, channels] = inputHWC;
  switch (spec.kind) {
    case 'synthetic': {
      if (height !== width || channels !== 3) {
        throw new Error(`The synthetic shapes set makes square RGB images; the model's input is ${channels}x${height}x${width}`);
      }
      const rendered = syntheticClassification({ trainCount: spec.overfit ?? spec.trainCount, valCount: spec.valCount, size: height, seed: spec.seed });
      // Rendered once, kept as 8-bit pixels: later epochs cost a copy instead of a render.
      const pixels = height * width * channels;
      const train = cachedSplit(rendered.train, pixels);
      const val = cachedSplit(rendered.val, pixels);
      // Overfitting a subset: the validation split is that same subset, so both losses should reach ~0.
      return spec.overfit ? { train, val: train } : { train, val };
    }
  }
}

/** How many images one epoch trains on, without building the data: it fixes the steps per epoch. */
export function trainingImageCount(spec: DataSpec): number {
  switch (spec.kind) {
    case 'synthetic':
      return spec.overfit ?? spec.trainCount;
  }
}
