/**
 * `MaxPoolGrad` for the wasm backend. The built-in (tfjs-backend-wasm 4.22,
 * pool3d_impl) starts each window's running maximum at
 * `std::numeric_limits<float>::min()`, the smallest *positive* float: a
 * window whose values are all ≤ 0 never records a maximum, and its gradient
 * is dropped (or sent to element 0). After a ReLU that only loses gradients
 * that ReLU would zero anyway, but a max-pool on anything that can be
 * negative (BatchNorm output, raw inputs) trains on wrong gradients.
 *
 * This is the straightforward loop on the heap: each window's gradient goes
 * to its first maximum in row-major order, as on the cpu backend and in
 * TensorFlow. Channels are innermost, so every step reads contiguous memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs, WasmHeapBackend } from './kernelOps';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { dy, input } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;

  const dx = backend.makeOutput(input.shape, 'float32');
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  out.fill(0);
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(0, oy * sh - top);
      const y1 = Math.min(h, oy * sh - top + kh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = Math.max(0, ox * sw - left);
        const x1 = Math.min(w, ox * sw - left + kw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const base = ((b * h + y) * w + xx) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k];
              if (v > best[k]) {
                best[k] = v;
                at[k] = base + k;
              }
            }
          }
        }
        const dyBase = ((b * oh + oy) * ow + ox) * c;
        for (let k = 0; k < c; k++) if (at[k] >= 0) out[at[k]] += g[dyBase + k];
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
