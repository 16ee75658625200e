import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../../../main/train/checkpointFormat';
import { trainLoop } from '../../../main/train/trainLoop';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, twoHeadNet, useCpu } from './checkpointFixtures';

beforeAll(useCpu);

/** Runs the loop and samples tf.memory().numTensors after the given (1-based) steps. */
async function tensorsAfterSteps(steps: number[], resume: boolean): Promise<Map<number, number>> {
  // 8 images in batches of 4: 2 steps an epoch, so 50 steps cross 24 epoch ends, each with
  // a validation pass and a checkpoint.
  const h = { ...tinyHyperParams, epochs: 25 };
  const data = tinyData(8, 4);
  const compiled = compileTiny(h.seed);
  let resumeFrom;
  if (resume) {
    let bytes: Uint8Array | undefined;
    await trainLoop({ tf, compiled, graph: tinyNet, data, hyperParams: { ...h, epochs: 1 }, onCheckpoint: (cp) => void (bytes = cp.bytes) });
    resumeFrom = decodeCheckpoint(tf, bytes!);
  }
  const counts = new Map<number, number>();
  await trainLoop({
    tf,
    compiled,
    graph: tinyNet,
    data,
    hyperParams: h,
    resumeFrom,
    onCheckpoint: () => {},
    onProgress: (p) => {
      if (steps.includes(p.step)) counts.set(p.step, tf.memory().numTensors);
    },
  });
  compiled.model.dispose();
  return counts;
}

describe('the training loop leaks no tensors (cpu backend)', () => {
  it('holds as many tensors after step 50 as after step 5, checkpoints and validation included', async () => {
    const counts = await tensorsAfterSteps([5, 50], false);
    expect(counts.get(5)).toBeGreaterThan(0);
    expect(counts.get(50)).toBe(counts.get(5));
  });

  it('and the same after resuming from a checkpoint', async () => {
    const counts = await tensorsAfterSteps([5, 50], true);
    expect(counts.get(50)).toBe(counts.get(5));
  });

  it('leaves nothing behind once it returns but the model itself', async () => {
    const compiled = compileTiny(1);
    const before = tf.memory().numTensors;
    await trainLoop({ tf, compiled, graph: tinyNet, data: tinyData(8, 4), hyperParams: { ...tinyHyperParams, epochs: 2 }, onCheckpoint: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    compiled.model.dispose();
  });
});

describe('no leaks with the stateful parts either (cpu backend)', () => {
  it('two heads with learned loss weights, learning-rate groups and reduce-on-plateau: as many tensors after step 50 as after step 5', async () => {
    const h = { ...tinyHyperParams, epochs: 25, lossWeighting: 'uncertainty' as const, lrMultipliers: { conv: 0.1 }, schedule: 'reduce-on-plateau' as const, plateau: { metric: 'val/loss', factor: 0.5, patience: 0 } };
    const compiled = compileTiny(h.seed, twoHeadNet);
    const counts = new Map<number, number>();
    await trainLoop({
      tf,
      compiled,
      graph: twoHeadNet,
      data: tinyData(8, 4),
      hyperParams: h,
      onCheckpoint: () => {},
      onProgress: (p) => {
        if (p.step === 5 || p.step === 50) counts.set(p.step, tf.memory().numTensors);
      },
    });
    compiled.model.dispose();
    expect(counts.get(50)).toBe(counts.get(5));
  });

  it('a fine-tune run (three optimisers, one after another) leaves nothing behind but the model', async () => {
    const compiled = compileTiny(1);
    const before = tf.memory().numTensors;
    await trainLoop({ tf, compiled, graph: tinyNet, data: tinyData(8, 4), hyperParams: { ...tinyHyperParams, epochs: 3, fineTune: { epochsPerPhase: [1, 1, 1] } }, onCheckpoint: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    compiled.model.dispose();
  });
});
