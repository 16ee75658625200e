/**
 * Installs our wasm kernel additions into TF.js's global kernel registry.
 * Where the wasm backend already has a (slow) kernel of the same name, the
 * built-in is unregistered first and kept (our kernels hand it the cases they
 * don't speed up, and benchmarks can restore it to compare). Its setupFunc is
 * carried over so the built-in still gets initialised when the wasm backend
 * starts after registration.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batchMatMul';
import { builtinKernels } from './builtinKernels';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput';
import { depthwiseConv2dBackpropFilterConfig } from './depthwiseConv2dBackpropFilter';
import { depthwiseConv2dBackpropInputConfig } from './depthwiseConv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';
import { meanConfig } from './mean';
import { resizeBilinearGradConfig } from './resizeBilinearGrad';
import { sliceConfig, splitVConfig, stridedSliceConfig } from './slice';
import { sumConfig } from './sum';
import { tileConfig } from './tile';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';

/** Every kernel we add or replace. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  tileConfig,
  sumConfig,
  meanConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
  batchMatMulConfig,
  sliceConfig,
  splitVConfig,
  stridedSliceConfig,
  maxPoolGradConfig,
  resizeBilinearGradConfig,
];

const ours = new Set(wasmTrainingKernels.map((k) => k.kernelFunc));

/**
 * Register our kernels for the wasm backend (idempotent). `only` limits it to
 * some kernel names (benchmarks measure them one by one). Returns the names
 * now served by our code.
 */
export function registerWasmTrainingKernels(only?: readonly string[]): string[] {
  const names: string[] = [];
  for (const config of wasmTrainingKernels) {
    if (only && !only.includes(config.kernelName)) continue;
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (!current || !ours.has(current.kernelFunc)) {
      builtinKernels.set(config.kernelName, current);
      if (current) tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel({ ...config, setupFunc: config.setupFunc ?? current?.setupFunc });
    }
    names.push(config.kernelName);
  }
  return names;
}

/** Put the wasm backend's own kernels back (for before/after comparisons). */
export function restoreBuiltinWasmKernels(): void {
  for (const [name, original] of builtinKernels) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    if (original) tf.registerKernel(original);
  }
  builtinKernels.clear();
}
