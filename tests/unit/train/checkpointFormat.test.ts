import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointFormatError, checkpointTensors, decodeCheckpoint, encodeCheckpoint, type CheckpointContents, type LoopState, type NamedTensor } from '../../../main/train/checkpointFormat';
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
    optimizers: [
      {
        multiplier: 1,
        optimizerClass: 'Adam',
        weights: [
          { name: 'iter', tensor: tf.scalar(7, 'int32') },
          { name: 'conv/kernel/m', tensor: tf.tensor4d([0.5, 0.25, 0, -1], [1, 1, 1, 4]) },
        ],
        extras: [{ name: 'accBeta1', tensor: tf.scalar(0.9 ** 7) }],
      },
    ],
    loop,
  };
}

function expectSameTensors(actual: NamedTensor[], expected: NamedTensor[]): void {
  expect(actual.map((w) => w.name)).toEqual(expected.map((w) => w.name));
  actual.forEach((w, i) => {
    expect(w.tensor.shape).toEqual(expected[i].tensor.shape);
    expect(w.tensor.dtype).toBe(expected[i].tensor.dtype);
    expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(expected[i].tensor.dataSync()));
  });
}

beforeAll(useCpu);
afterEach(() => tf.disposeVariables());

describe('the checkpoint file format', () => {
  it('round-trips weights (names, shapes, dtypes, values bit for bit) and loop state', async () => {
    const original = contents();
    const bytes = await encodeCheckpoint(tf, original);
    const decoded = decodeCheckpoint(tf, bytes);
    expect(decoded.loop).toEqual(loop);
    expect(decoded.optimizers.map((g) => [g.multiplier, g.optimizerClass])).toEqual([[1, 'Adam']]);
    expectSameTensors(checkpointTensors(decoded), checkpointTensors(original));
  });

  it('keeps one optimizer per parameter group, in ascending multiplier order, each with its own iteration count', async () => {
    const original = contents();
    const frozenLater = {
      multiplier: 0.1,
      optimizerClass: 'Adam',
      weights: [
        { name: 'iter', tensor: tf.scalar(3, 'int32') },
        { name: 'bn/gamma/m', tensor: tf.tensor1d([1.5, -2]) },
      ],
      extras: [{ name: 'accBeta1', tensor: tf.scalar(0.9 ** 3) }],
    };
    original.optimizers.push(frozenLater);
    const decoded = decodeCheckpoint(tf, await encodeCheckpoint(tf, original));
    expect(decoded.optimizers.map((g) => g.multiplier)).toEqual([0.1, 1]);
    expectSameTensors(decoded.optimizers[0].weights, frozenLater.weights);
    expect(decoded.optimizers[0].weights[0].tensor.dataSync()[0]).toBe(3);
    expect(decoded.optimizers[1].weights[0].tensor.dataSync()[0]).toBe(7);
  });

  it('reads a version-1 file (one optimizer) as one group at multiplier 1', async () => {
    const bytes = await encodeCheckpoint(tf, contents());
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    const [group] = header.optimizers;
    const v1 = JSON.stringify({ ...header, version: 1, optimizers: undefined, optimizerClass: group.optimizerClass, optimizer: group.weights, optimizerExtras: group.extras });
    const json = new TextEncoder().encode(v1);
    const dataStart = Math.ceil((12 + json.length) / 8) * 8;
    const data = bytes.subarray(Math.ceil((12 + headerLength) / 8) * 8);
    const old = new Uint8Array(dataStart + data.length);
    old.set(bytes.subarray(0, 8));
    new DataView(old.buffer).setUint32(8, json.length, true);
    old.set(json, 12);
    old.set(data, dataStart);
    const decoded = decodeCheckpoint(tf, old);
    expect(decoded.optimizers.map((g) => [g.multiplier, g.optimizerClass, g.weights.map((w) => w.name), g.extras.map((w) => w.name)])).toEqual([
      [1, 'Adam', ['iter', 'conv/kernel/m'], ['accBeta1']],
    ]);
    expectSameTensors(checkpointTensors(decoded), checkpointTensors(contents()));
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
