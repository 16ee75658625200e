/**
 * `Sum` for the wasm backend: float32 reductions over leading axes (BatchNorm
 * gradients, bias gradients) run as one average pool times the count instead
 * of transpose + reduce (see reduceLeadingAxes.ts); everything else goes to the built-in kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import { callBuiltin } from './builtinKernels';
import { leadingAxes, meanLeadingAxes } from './reduceLeadingAxes';
import type { WasmBackendLike, KernelArgs } from './kernelOps';

function sum(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = x.dtype === 'float32' ? leadingAxes(x.shape, axis) : null;
  if (!axes) {
    return callBuiltin('Sum', args);
  }
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return meanLeadingAxes(args.backend as WasmBackendLike, x, axes, keepDims, count);
}

export const sumConfig: tf.KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: sum as unknown as tf.KernelFunc,
};
