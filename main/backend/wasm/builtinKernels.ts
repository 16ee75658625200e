/**
 * The wasm backend's own kernels that we replaced, kept so our kernels can
 * hand them the cases they don't speed up, and so benchmarks can restore
 * them. (A separate module so kernels and the registry don't import each
 * other.)
 */
import * as tf from '@tensorflow/tfjs';

export const builtinKernels = new Map<string, tf.KernelConfig | undefined>();

/**
 * Run the wasm backend's own kernel `name` with the caller's arguments: the
 * replaced built-in, or the registered kernel when ours is not installed.
 */
export function callBuiltin(name: string, args: unknown): tf.TensorInfo | tf.TensorInfo[] {
  const builtin = builtinKernels.has(name) ? builtinKernels.get(name) : tf.getKernel(name, 'wasm');
  if (!builtin) throw new Error(`wasm backend has no built-in ${name} kernel`);
  return builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
}
