/**
 * `Mean` for the wasm backend: float32 means over leading axes (BatchNorm's
 * batch statistics over N,H,W) as a matmul with a 1/R vector instead of
 * transpose + reduce; everything else goes to the built-in kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { leadingAxes, sumLeadingAxes } from './reduceLeadingAxes';
import type { WasmBackendLike, KernelArgs } from './kernelOps';

function mean(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = x.dtype === 'float32' ? leadingAxes(x.shape, axis) : null;
  if (!axes) {
    return callBuiltin('Mean', args);
  }
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return sumLeadingAxes(args.backend as WasmBackendLike, x, axes, keepDims, 1 / count);
}

export const meanConfig: tf.KernelConfig = {
  kernelName: 'Mean',
  backendName: 'wasm',
  kernelFunc: mean as unknown as tf.KernelFunc,
};
