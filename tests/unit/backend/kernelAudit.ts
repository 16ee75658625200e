/**
 * Replays the wasm backend's kernel calls on the cpu backend: while an audit
 * is on, each kernel the engine runs on wasm is run again on cpu with copies
 * of the same inputs and attrs, and its outputs compared. Used where a whole
 * training step's gradients cannot be compared end to end: in deep nets at
 * test sizes (BatchNorm over a few values) float rounding differences grow
 * by orders of magnitude from layer to layer, whereas kernel by kernel the
 * comparison is exact up to rounding, and a failure names the kernel.
 *
 * Only calls made by the engine are replayed (our kernels' internal calls to
 * other wasm kernels are not), and each (kernel, shapes, attrs) signature
 * once per audit: repeated blocks run the same code on other values.
 */
import * as tf from '@tensorflow/tfjs';

interface HeapBackend { readSync(dataId: object): tf.backend_util.BackendValues }
interface CpuBackend extends HeapBackend {
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

export interface KernelMismatch { kernel: string; signature: string; error: number }

/**
 * Largest |ours − cpu| / max(1, max|cpu|) over an output: the error relative
 * to the output's scale. (Relative to each element it would flag reductions
 * whose terms cancel, where both backends round differently.)
 */
function scaledError(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(ours[i] - ref[i]);
    if (!(e <= worst)) worst = e; // NaN counts as worst
  }
  return worst / scale;
}

type Inputs = Record<string, tf.TensorInfo | undefined> | tf.TensorInfo[];

/**
 * Wrap every wasm kernel that has a cpu counterpart; returns a controller.
 * Mismatches above `tolerance` are collected while `active`.
 */
export function installKernelAudit(tolerance: number) {
  const state = { active: false, depth: 0, seen: new Set<string>(), mismatches: [] as KernelMismatch[], audited: 0 };
  const cpu = tf.findBackend('cpu') as unknown as CpuBackend;
  for (const config of tf.getKernelsForBackend('wasm')) {
    if (!tf.getKernel(config.kernelName, 'cpu')) continue;
    const run = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        state.depth++;
        let out: tf.TensorInfo | tf.TensorInfo[];
        try {
          out = run(args);
        } finally {
          state.depth--;
        }
        if (state.active && state.depth === 0) replay(config.kernelName, args, out);
        return out;
      },
    });
  }

  function replay(kernel: string, args: Parameters<tf.KernelFunc>[0], out: tf.TensorInfo | tf.TensorInfo[]): void {
    const inputs = args.inputs as unknown as Inputs;
    const entries = (Array.isArray(inputs) ? inputs.map((t, i) => [String(i), t] as const) : Object.entries(inputs))
      .filter((e): e is readonly [string, tf.TensorInfo] => e[1] != null);
    const signature = `${kernel} ${JSON.stringify(entries.map(([n, t]) => [n, t.shape, t.dtype]))} ${JSON.stringify(args.attrs ?? {})}`;
    if (state.seen.has(signature)) return;
    state.seen.add(signature);
    const wasm = args.backend as unknown as HeapBackend;
    const copies = entries.map(([n, t]) => [n, { dataId: cpu.write(wasm.readSync(t.dataId).slice(), t.shape, t.dtype), shape: t.shape, dtype: t.dtype }] as const);
    const cpuInputs = Array.isArray(inputs) ? copies.map(([, t]) => t) : Object.fromEntries(copies);
    const reference = tf.getKernel(kernel, 'cpu')!.kernelFunc({
      inputs: cpuInputs as unknown as tf.NamedTensorInfoMap, backend: cpu as unknown as tf.KernelBackend, attrs: args.attrs,
    });
    const ours = Array.isArray(out) ? out : [out];
    const refs = Array.isArray(reference) ? reference : [reference];
    let error = 0;
    ours.forEach((o, i) => {
      const a = wasm.readSync(o.dataId) as ArrayLike<number>;
      const r = cpu.readSync(refs[i].dataId) as ArrayLike<number>;
      error = Math.max(error, a.length === r.length ? scaledError(a, r) : Infinity);
    });
    state.audited++;
    if (!(error <= tolerance)) state.mismatches.push({ kernel, signature: signature.slice(0, 300), error });
    for (const [, t] of copies) cpu.disposeIntermediateTensorInfo(t as tf.TensorInfo);
    for (const r of refs) cpu.disposeIntermediateTensorInfo(r);
  }

  return {
    /** Audit the kernel calls made while `fn` runs; returns the mismatches. */
    async during<T>(fn: () => Promise<T>): Promise<{ result: T; mismatches: KernelMismatch[]; audited: number }> {
      state.active = true;
      state.seen.clear();
      state.mismatches = [];
      state.audited = 0;
      try {
        const result = await fn();
        return { result, mismatches: state.mismatches, audited: state.audited };
      } finally {
        state.active = false;
      }
    },
  };
}
