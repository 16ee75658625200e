import { describe, expect, it } from 'vitest';
import type { GraphIR } from '../../../main/core';
import { ACTIVATION_FACTOR, estimateTrainingMemory, fitBatchSize, memoryBudget, trainingMemoryParts } from '../../../main/train/batchBudget';
import { graph, input } from '../core/graphFixtures';
import { tinyNet } from './checkpointFixtures';

const GIB = 1024 ** 3;

/** in 3×8×8 → conv 4×3×3 (no bias) → ReLU → GAP → head (10 classes), no buffers. */
const plainNet: GraphIR = graph(
  [
    input(3, 8, 8),
    { id: 'conv', type: 'Conv2d', params: { outChannels: 4, kernel: 3, padding: 1, bias: false } },
    { id: 'relu', type: 'ReLU', params: {} },
    { id: 'gap', type: 'GlobalAvgPool', params: {} },
    { id: 'head', type: 'ClassificationHead', params: { classes: 10 } },
  ],
  ['in -> conv', 'conv -> relu', 'relu -> gap', 'gap -> head'],
);

describe('the training memory estimate from shape inference', () => {
  it('plainNet: outputs 192 + 256 + 256 + 4 + 10 floats a sample; 108 + 50 weights', () => {
    const parts = trainingMemoryParts(plainNet);
    expect(parts).toEqual({ activationBytesPerSample: 4 * 718, weightBytes: 4 * 158, bufferBytes: 0 });
    expect(estimateTrainingMemory(parts)).toEqual({ perSample: 4 * 718 * ACTIVATION_FACTOR, fixed: 4 * 158 * 4 });
  });

  it('tinyNet: BatchNorm and Dropout outputs count too, its running statistics once as buffers', () => {
    // in 192, conv 256, bn 256, relu 256, drop 256, gap 4, head 10; weights conv 108 + bn 8 + head 50; buffers bn 8.
    const parts = trainingMemoryParts(tinyNet);
    expect(parts).toEqual({ activationBytesPerSample: 4 * 1230, weightBytes: 4 * 166, bufferBytes: 4 * 8 });
    expect(estimateTrainingMemory(parts)).toEqual({ perSample: 4 * 1230 * ACTIVATION_FACTOR, fixed: 4 * 166 * 4 + 4 * 8 });
  });

  it('refuses an invalid graph', () => {
    const broken = graph([input(3, 8, 8), { id: 'head', type: 'ClassificationHead', params: { classes: 10 } }], ['in -> head']);
    expect(() => trainingMemoryParts(broken)).toThrow(/invalid graph/);
  });
});

describe('the memory budget', () => {
  it.each([
    ['wasm', 64 * GIB, 3 * GIB],
    ['cpu', 16 * GIB, 8 * GIB],
    ['tensorflow', 10 * GIB, 5 * GIB],
  ] as const)('%s with %d bytes of RAM: %d', (backend, ram, budget) => {
    expect(memoryBudget(backend, ram)).toBe(budget);
  });
});

describe('fitting the batch size', () => {
  // 100 bytes a sample over 1000 fixed, 3000 to spend: at most 20 samples.
  const estimate = { perSample: 100, fixed: 1000 };
  const budget = 3000;
  const fit = (batchSize: number, fromRecipe: boolean, b = budget) => fitBatchSize({ batchSize, fromRecipe, estimate, budget: b, backend: 'wasm' });

  it.each([
    ['a recipe batch that fits stays', 20, 20],
    ['a fitting batch that is no power of two stays', 12, 12],
    ['256 from the recipe → 16, the largest power of two that fits', 256, 16],
    ['21 from the recipe → 16', 21, 16],
  ])('%s', (_title, from, to) => {
    const decision = fit(from, true);
    expect(decision.batchSize).toBe(to);
    expect(decision.warning).toBeUndefined();
    if (from === to) expect(decision.capped).toBeUndefined();
    else expect(decision.capped).toEqual({ from, to, reason: expect.stringContaining(`batch ${from} needs about`) });
  });

  it('nothing fits: down to 1', () => {
    expect(fit(64, true, 1050)).toMatchObject({ batchSize: 1, capped: { from: 64, to: 1 } });
  });

  it('an explicit --batch is kept, with a warning', () => {
    const decision = fit(256, false);
    expect(decision).toEqual({ batchSize: 256, warning: expect.stringMatching(/^--batch 256 may not fit in memory: batch 256 needs about .* over its budget/) });
  });
});
