import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SamplePredictions } from '../../../main/store/samplePredictions';
import { FromTrainerSchema } from '../../../main/train/protocol';
import { topClasses } from '../../../main/train/samplePredictions';
import { trainLoop, type MetricRow } from '../../../main/train/trainLoop';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, useCpu } from './checkpointFixtures';

beforeAll(useCpu);

/** Softmax worked out in plain JS from the model's own logits: the check does not share the loop's code. */
function softmaxRows(logits: number[][]): number[][] {
  return logits.map((row) => {
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  });
}

describe('sample predictions after each epoch (cpu backend, tinyNet)', () => {
  // 20 validation images: more than the 16 followed, so the first 16 must be the ones chosen.
  const data = tinyData(8, 20);

  it('follow the first 16 validation images every epoch; top-3 probabilities match a direct model.predict', async () => {
    const compiled = compileTiny(tinyHyperParams.seed);
    const seen: SamplePredictions[] = [];
    const direct: number[][][] = [];
    const metricRows: MetricRow[] = [];
    const images = Array.from({ length: 16 }, (_, i) => data.val.sample(i));
    const before = tf.memory().numTensors;
    await trainLoop({
      tf,
      compiled,
      graph: tinyNet,
      data,
      hyperParams: { ...tinyHyperParams, epochs: 3 },
      onMetrics: (rows) => metricRows.push(...rows),
      onSamples: (s) => {
        seen.push(s);
        // The model as it stands when the samples were taken, asked directly.
        const x = tf.tensor4d(images.flatMap((im) => Array.from(im.pixels)), [16, 8, 8, 3]);
        const logits = compiled.model.predict(x) as tf.Tensor;
        direct.push(softmaxRows(logits.arraySync() as number[][]));
        x.dispose();
        logits.dispose();
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    compiled.model.dispose();

    expect(seen.map((s) => s.epoch)).toEqual([0, 1, 2]);
    // Each epoch's samples carry the step its validation metrics were logged at.
    const valSteps = metricRows.filter((r) => r.name === 'val/loss').map((r) => r.step);
    expect(seen.map((s) => s.step)).toEqual(valSteps);
    for (const [e, s] of seen.entries()) {
      expect(s.head).toBe('head');
      expect(s.predictions.map((p) => p.index)).toEqual(Array.from({ length: 16 }, (_, i) => i));
      expect(s.predictions.map((p) => p.label)).toEqual(images.map((im) => im.label));
      for (const [i, p] of s.predictions.entries()) {
        expect(p.top).toHaveLength(3);
        const sum = p.top.reduce((a, t) => a + t.probability, 0);
        expect(sum).toBeLessThanOrEqual(1 + 1e-6);
        const expected = direct[e][i].map((probability, c) => ({ class: c, probability })).sort((a, b) => b.probability - a.probability);
        expect(p.top.map((t) => t.class)).toEqual(expected.slice(0, 3).map((t) => t.class));
        p.top.forEach((t, k) => expect(t.probability).toBeCloseTo(expected[k].probability, 5));
      }
      // A valid protocol message as the trainer sends it.
      expect(FromTrainerSchema.safeParse({ type: 'samples', ...s }).success).toBe(true);
    }
    // Training moved the weights: the predictions on the same images changed between epochs.
    expect(seen[2].predictions[0].top[0].probability).not.toBe(seen[0].predictions[0].top[0].probability);
  });

  it('taking them changes nothing the run computes (inference mode, no random draws)', async () => {
    const run = async (withSamples: boolean) => {
      const compiled = compileTiny(tinyHyperParams.seed);
      const rows: MetricRow[] = [];
      await trainLoop({
        tf,
        compiled,
        graph: tinyNet,
        data,
        hyperParams: { ...tinyHyperParams, epochs: 2 },
        onMetrics: (r) => rows.push(...r),
        ...(withSamples ? { onSamples: () => {} } : {}),
      });
      compiled.model.dispose();
      return rows;
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('fewer validation images than 16: all of them', async () => {
    const compiled = compileTiny(1);
    const seen: SamplePredictions[] = [];
    await trainLoop({ tf, compiled, graph: tinyNet, data: tinyData(8, 5), hyperParams: { ...tinyHyperParams, epochs: 1 }, onSamples: (s) => void seen.push(s) });
    compiled.model.dispose();
    expect(seen[0].predictions.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('topClasses', () => {
  it.each([
    [[0.1, 0.6, 0.3], 3, [1, 2, 0]],
    [[0.25, 0.25, 0.5], 2, [2, 0]],
    [[1], 3, [0]],
  ])('of %j, k=%i: classes %j', (probabilities, k, classes) => {
    expect(topClasses(probabilities, k).map((t) => t.class)).toEqual(classes);
  });
});
