/**
 * A small conv + BatchNorm + residual net trains on wasm (which needs our
 * Conv2DBackpropFilter) without leaking tensors, and its loss goes down.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/backend/selectBackend';
import { randomValues } from './testUtils';

function buildNet(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  const convBnRelu = (x: tf.SymbolicTensor, filters: number, strides: number) => {
    const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x);
    const b = tf.layers.batchNormalization().apply(c);
    return tf.layers.reLU().apply(b) as tf.SymbolicTensor;
  };
  const stem = convBnRelu(input, 8, 2);
  const branch = convBnRelu(stem, 8, 1);
  const sum = tf.layers.add().apply([stem, branch]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(sum);
  const out = tf.layers.dense({ units: 4, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

describe('training a conv net on wasm', () => {
  it('trains several steps with no tensor leak and a falling loss', async () => {
    const selected = await initBackend({ preferred: 'wasm', threads: 1 });
    expect(selected.name).toBe('wasm');
    tf.randomUniform([1]).dispose(); // warm-up allocations outside the count
    const model = buildNet();
    const xs = tf.tensor4d(randomValues(8 * 16 * 16 * 3, 11), [8, 16, 16, 3]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
    const losses: number[] = [];
    const counts: number[] = [];
    const buffers: number[] = []; // wasm-side data, catches un-freed intermediates
    for (let step = 1; step <= 8; step++) {
      const loss = (await model.trainOnBatch(xs, ys)) as number;
      losses.push(loss);
      counts.push(tf.memory().numTensors);
      buffers.push(tf.backend().numDataIds());
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(counts[4]).toBe(counts[1]); // after step 5 == after step 2
    expect(counts[7]).toBe(counts[1]);
    expect(buffers[4]).toBe(buffers[1]);
    expect(losses[7]).toBeLessThan(losses[0]);
    model.dispose();
    tf.dispose([xs, ys]);
  });
});
