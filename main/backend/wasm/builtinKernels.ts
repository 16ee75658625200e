/**
 * The wasm backend's own kernels that we replaced, kept so our kernels can
 * hand them the cases they don't speed up, and so benchmarks can restore
 * them. (A separate module so kernels and the registry don't import each
 * other.)
 */
import type * as tf from '@tensorflow/tfjs';

export const builtinKernels = new Map<string, tf.KernelConfig | undefined>();

/** Run the replaced built-in kernel `name` with the caller's arguments. */
export function callBuiltin(name: string, args: unknown): tf.TensorInfo | tf.TensorInfo[] {
  const builtin = builtinKernels.get(name);
  if (!builtin) throw new Error(`wasm ${name}: built-in kernel not captured`);
  return builtin.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
}
