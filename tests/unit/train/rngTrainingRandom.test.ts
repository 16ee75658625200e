import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { epochRandom, initRandom, TrainingRandom } from '../../../main/train/trainingRandom';
import { compileTiny, useCpu } from './checkpointFixtures';

const draw = (rng: TrainingRandom, n: number) => Array.from({ length: n }, () => rng.next());

describe('TrainingRandom', () => {
  it('draws uniform numbers in [0, 1) whose mean is near 1/2', () => {
    const values = draw(new TrainingRandom(123), 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(0.5, 1);
  });

  it('replays the same numbers from a saved state', () => {
    const rng = new TrainingRandom(7);
    draw(rng, 5);
    const saved = rng.state;
    const ahead = draw(rng, 10);
    expect(draw(new TrainingRandom(saved), 10)).toEqual(ahead);
  });

  it('lends Math.random only for the call, and gives it back even when the call throws', () => {
    const original = Math.random;
    const rng = new TrainingRandom(99);
    const expected = draw(new TrainingRandom(99), 3);
    expect(rng.run(() => [Math.random(), Math.random(), Math.random()])).toEqual(expected);
    expect(Math.random).toBe(original);
    expect(() =>
      rng.run(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('refuses an asynchronous function, whose awaits would let others draw from it', () => {
    const rng = new TrainingRandom(1);
    expect(() => rng.run(async () => 1)).toThrow(/synchronous/);
  });

  it('gives initialisation and each epoch their own streams', () => {
    const streams = [initRandom(5), epochRandom(5, 0), epochRandom(5, 1), epochRandom(6, 0)].map((r) => r.state);
    expect(new Set(streams).size).toBe(4);
    expect(epochRandom(5, 3).state).toBe(epochRandom(5, 3).state);
  });
});

describe('seeded initialisation', () => {
  beforeAll(useCpu);

  const weightsOf = (seed: number) => {
    const compiled = compileTiny(seed);
    const values = compiled.model.getWeights().map((w) => Array.from(w.dataSync()));
    compiled.model.dispose();
    return values;
  };

  it('makes the initial weights a function of the seed alone', () => {
    const a = weightsOf(3);
    // Something else drawing from Math.random in between changes nothing.
    for (let i = 0; i < 10; i++) Math.random();
    expect(weightsOf(3)).toEqual(a);
    expect(weightsOf(4)).not.toEqual(a);
  });

  it('makes dropout masks a function of the generator state', () => {
    const x = tf.ones([4, 16]);
    const mask = (state: number) => new TrainingRandom(state).run(() => tf.tidy(() => Array.from(tf.dropout(x, 0.5).dataSync())));
    expect(mask(42)).toEqual(mask(42));
    expect(mask(42)).not.toEqual(mask(43));
    x.dispose();
  });
});
