/**
 * Installs our wasm kernel additions into TF.js's global kernel registry.
 * Where the wasm backend already has a (slow) kernel of the same name, the
 * built-in is unregistered first and kept, so benchmarks and tests can
 * restore it (`restoreBuiltinWasmKernels`) and compare.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2DBackpropInput';

/** Every kernel we add or replace, in the order they are registered. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
];

const builtins = new Map<string, tf.KernelConfig | undefined>();

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
    if (current?.kernelFunc !== config.kernelFunc) {
      if (!builtins.has(config.kernelName)) builtins.set(config.kernelName, current);
      if (current) tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
    names.push(config.kernelName);
  }
  return names;
}

/** Put the wasm backend's own kernels back (for before/after comparisons). */
export function restoreBuiltinWasmKernels(): void {
  for (const [name, original] of builtins) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    if (original) tf.registerKernel(original);
  }
  builtins.clear();
}
