/**
 * `ResizeBilinearGrad` for the wasm backend. The built-in ignores
 * `halfPixelCenters` (PyTorch's align_corners=False placement), so the
 * gradient of such a resize does not match its forward pass. This one is the
 * adjoint of the forward resizeBilinear (as the wasm and cpu backends compute
 * it): each output pixel's gradient goes back to its four source pixels with
 * the forward's interpolation weights. The source rows and columns are
 * tabulated once; channels are innermost, so the loop reads and writes
 * contiguous runs.
 */
import type * as tf from '@tensorflow/tfjs';
import type { KernelArgs, WasmHeapBackend } from './kernelOps';

interface Sources { floor: Int32Array; ceil: Int32Array; weight: Float32Array }

/** For each output index: the two source indices and the weight of the second. */
function sources(outLen: number, inLen: number, alignCorners: boolean, halfPixelCenters: boolean): Sources {
  const ratio = alignCorners && outLen > 1 ? (inLen - 1) / (outLen - 1) : inLen / outLen;
  const s: Sources = { floor: new Int32Array(outLen), ceil: new Int32Array(outLen), weight: new Float32Array(outLen) };
  for (let o = 0; o < outLen; o++) {
    const frac = halfPixelCenters ? ratio * (o + 0.5) - 0.5 : ratio * o;
    const floor = Math.max(0, Math.floor(frac));
    s.floor[o] = floor;
    s.ceil[o] = Math.min(inLen - 1, Math.ceil(frac));
    s.weight[o] = frac - floor;
  }
  return s;
}

function resizeBilinearGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmHeapBackend;
  const { images, dy } = args.inputs;
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
  const [n, h, w, c] = images.shape;
  const [, oh, ow] = dy.shape;
  const rows = sources(oh, h, alignCorners, halfPixelCenters);
  const cols = sources(ow, w, alignCorners, halfPixelCenters);
  const dx = backend.makeOutput(images.shape, 'float32');
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  out.fill(0);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const top = (b * h + rows.floor[y]) * w;
      const bottom = (b * h + rows.ceil[y]) * w;
      const ry = rows.weight[y];
      for (let x = 0; x < ow; x++) {
        const rx = cols.weight[x];
        const from = ((b * oh + y) * ow + x) * c;
        const tl = (top + cols.floor[x]) * c;
        const tr = (top + cols.ceil[x]) * c;
        const bl = (bottom + cols.floor[x]) * c;
        const br = (bottom + cols.ceil[x]) * c;
        const wtl = (1 - ry) * (1 - rx);
        const wtr = (1 - ry) * rx;
        const wbl = ry * (1 - rx);
        const wbr = ry * rx;
        for (let k = 0; k < c; k++) {
          const v = g[from + k];
          out[tl + k] += wtl * v;
          out[tr + k] += wtr * v;
          out[bl + k] += wbl * v;
          out[br + k] += wbr * v;
        }
      }
    }
  }
  return dx;
}

export const resizeBilinearGradConfig: tf.KernelConfig = {
  kernelName: 'ResizeBilinearGrad',
  backendName: 'wasm',
  kernelFunc: resizeBilinearGrad as unknown as tf.KernelFunc,
};
