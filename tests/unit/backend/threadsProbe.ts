/**
 * Run in a child process by threads.test.ts: starts wasm with 2 threads,
 * computes a conv gradient, prints a JSON line, then stops the pthread
 * workers so the process exits by itself (proving shutdownWasmThreads).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/backend/selectBackend';
import { shutdownWasmThreads } from '../../../main/backend/wasmThreads';
import { randomValues } from './testUtils';

const threads = Number(process.argv[2] ?? 2);
const selected = await initBackend({ preferred: 'wasm', threads });
const x = tf.tensor4d(randomValues(2 * 12 * 12 * 4, 7), [2, 12, 12, 4]);
const f = tf.tensor4d(randomValues(3 * 3 * 4 * 8, 8), [3, 3, 4, 8]);
const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
  tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum())([x, f]);
const result = {
  selected,
  dx: Array.from(await dx.data()),
  df: Array.from(await df.data()),
};
process.stdout.write(JSON.stringify(result) + '\n');
shutdownWasmThreads(tf.findBackend('wasm'));
