/**
 * `Mean` for the wasm backend: float32 means over leading axes (BatchNorm's
 * batch statistics over N,H,W) as one average pool instead of transpose +
 * reduce (see reduceLeadingAxes.ts); everything else goes to the built-in kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { leadingAxes, meanLeadingAxes } from './reduceLeadingAxes';
import type { WasmBackendLike, KernelArgs } from './kernelOps';

function mean(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = x.dtype === 'float32' ? leadingAxes(x.shape, axis) : null;
  if (!axes) {
    return callBuiltin('Mean', args);
  }
  return meanLeadingAxes(args.backend as WasmBackendLike, x, axes, keepDims, 1);
}

export const meanConfig: tf.KernelConfig = {
  kernelName: 'Mean',
  backendName: 'wasm',
  kernelFunc: mean as unknown as tf.KernelFunc,
};
