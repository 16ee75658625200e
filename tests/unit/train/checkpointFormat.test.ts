import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointFormatError, decodeCheckpoint, encodeCheckpoint, type CheckpointContents, type LoopState } from '../../../main/train/checkpointFormat';
import { defaultMode, improves, parseCheckpointMetric } from '../../../main/train/checkpointMetric';
import { useCpu } from './checkpointFixtures';

const loop: LoopState = {
  epoch: 2,
  stepInEpoch: 1,
  step: 7,
  epochsCompleted: 2,
  batchSize: 4,
  trainCount: 12,
  randomState: 4_000_000_000,
  epochTotals: { loss: 2.5, correct: 1, seen: 4 },
  best: { metric: { name: 'val/top1', mode: 'max' }, value: 0.25, epoch: 1 },
  metrics: { 'train/loss': 2.1, 'val/top1': 0.25 },
  hooks: { plateau: { bad: 2, best: 0.3 } },
};

function contents(): CheckpointContents {
  return {
    model: [
      { name: 'conv/kernel', tensor: tf.tensor4d([1, -2, 3.5, 4e-8], [1, 1, 1, 4]) },
      { name: 'bn/moving_mean', tensor: tf.tensor1d([0.125, 7]) },
    ],
    optimizerClass: 'Adam',
    optimizer: [
      { name: 'iter', tensor: tf.scalar(7, 'int32') },
      { name: 'conv/kernel/m', tensor: tf.tensor4d([0.5, 0.25, 0, -1], [1, 1, 1, 4]) },
    ],
    optimizerExtras: [{ name: 'accBeta1', tensor: tf.scalar(0.9 ** 7) }],
    loop,
  };
}

beforeAll(useCpu);
afterEach(() => tf.disposeVariables());

describe('the checkpoint file format', () => {
  it('round-trips weights (names, shapes, dtypes, values bit for bit) and loop state', async () => {
    const original = contents();
    const bytes = await encodeCheckpoint(tf, original);
    const decoded = decodeCheckpoint(tf, bytes);
    expect(decoded.loop).toEqual(loop);
    expect(decoded.optimizerClass).toBe('Adam');
    for (const group of ['model', 'optimizer', 'optimizerExtras'] as const) {
      expect(decoded[group].map((w) => w.name)).toEqual(original[group].map((w) => w.name));
      decoded[group].forEach((w, i) => {
        expect(w.tensor.shape).toEqual(original[group][i].tensor.shape);
        expect(w.tensor.dtype).toBe(original[group][i].tensor.dtype);
        expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(original[group][i].tensor.dataSync()));
      });
    }
  });

  it('is compact: a fixed header plus 4 bytes per value', async () => {
    const bytes = await encodeCheckpoint(tf, contents());
    const values = 4 + 2 + 1 + 4 + 1;
    const header = bytes.length - 4 * values;
    expect(header).toBeGreaterThan(0);
    expect(header).toBeLessThan(1200);
  });

  it.each([
    ['bad magic bytes', (b: Uint8Array) => b.fill(0, 0, 4), /bad magic/],
    ['a cut header', (b: Uint8Array) => b.subarray(0, 40), /truncated inside its header/],
    ['cut weight data', (b: Uint8Array) => b.subarray(0, b.length - 4), /wrong length/],
  ])('refuses %s', async (_what, damage, message) => {
    const bytes = await encodeCheckpoint(tf, contents());
    expect(() => decodeCheckpoint(tf, damage(bytes))).toThrow(message);
    expect(() => decodeCheckpoint(tf, damage(bytes))).toThrow(CheckpointFormatError);
  });

  it('refuses a header whose loop state is invalid, naming the field', async () => {
    const bytes = await encodeCheckpoint(tf, contents());
    // Same length, so only the header's meaning changes.
    const at = Buffer.from(bytes).indexOf('"batchSize":4');
    expect(at).toBeGreaterThan(0);
    const patched = Uint8Array.from(bytes);
    patched[at + '"batchSize":'.length] = '0'.charCodeAt(0);
    expect(() => decodeCheckpoint(tf, patched)).toThrow(/loop\.batchSize/);
  });

  it('refuses two weights of one group with the same name', async () => {
    const c = contents();
    c.model.push({ name: 'conv/kernel', tensor: tf.scalar(1) });
    await expect(encodeCheckpoint(tf, c)).rejects.toThrow(/both named "conv\/kernel"/);
  });
});

describe('the checkpoint metric', () => {
  it.each([
    ['val/top1', { name: 'val/top1', mode: 'max' }],
    ['val/loss', { name: 'val/loss', mode: 'min' }],
    ['val/loss:max', { name: 'val/loss', mode: 'max' }],
    ['val/mAP@0.5', { name: 'val/mAP@0.5', mode: 'max' }],
    ['train/loss/head', { name: 'train/loss/head', mode: 'min' }],
  ])('parses %s', (text, expected) => {
    expect(parseCheckpointMetric(text)).toEqual(expected);
  });

  it.each(['top1', 'val/top1:best', 'val/top1:min:max', 'test/top1', ''])('refuses %j', (text) => {
    expect(parseCheckpointMetric(text)).toEqual({ error: expect.stringContaining(`got "${text}"`) });
  });

  it('judges improvement by the mode; the first finite value always counts', () => {
    expect(defaultMode('val/recall@1')).toBe('max');
    expect(improves({ name: 'val/top1', mode: 'max' }, 0.5, null)).toBe(true);
    expect(improves({ name: 'val/top1', mode: 'max' }, 0.5, 0.5)).toBe(false);
    expect(improves({ name: 'val/top1', mode: 'max' }, 0.6, 0.5)).toBe(true);
    expect(improves({ name: 'val/loss', mode: 'min' }, 0.4, 0.5)).toBe(true);
    expect(improves({ name: 'val/loss', mode: 'min' }, Number.NaN, null)).toBe(false);
  });
});
