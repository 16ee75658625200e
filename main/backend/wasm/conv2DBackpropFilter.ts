/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (so no conv net
 * can train on wasm out of the box). Computed as blocked patch × dy matrix
 * products (filterGradByPatches.ts); the older single-convolution form
 * (filterGradBySwappedConv.ts) is kept for comparison in benchmarks.
 */
import type * as tf from '@tensorflow/tfjs';
import { convGeometry, type ConvAttrs } from './convGeometry';
import { filterGradByPatches } from './filterGradByPatches';
import type { KernelArgs, WasmHeapBackend } from './kernelOps';

interface Attrs extends ConvAttrs {
  dataFormat: 'NHWC' | 'NCHW';
  filterShape: [number, number, number, number];
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const g = convGeometry(x.shape as [number, number, number, number], attrs.filterShape, attrs);
  return filterGradByPatches(backend, x, dy, g);
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
