/**
 * Reference kernels for the cpu backend, installed while a whole template's
 * training step runs there as the reference for the wasm step
 * (templateKernels.test.ts):
 *  - `ResizeNearestNeighborGrad`: tfjs-backend-cpu 4.22 offsets dy by the
 *    *input's* batch stride, so every image after the first reads the wrong
 *    dy rows (nearest Upsample nets get wrong gradients on cpu). Ours is
 *    written from the forward mapping: each dy pixel goes back to the pixel
 *    it was copied from.
 *  - `ResizeBilinearGrad`: cpu's returns [N, W, H, C] for non-square images
 *    (so the gradient's shape check fails). Ours is the adjoint of cpu's
 *    forward resizeBilinear: each output pixel's gradient goes back to its
 *    four source pixels with the forward's interpolation weights.
 *  - `Conv2DBackpropFilter`: cpu's is a scalar loop taking minutes for
 *    VGG/ResNet-50 steps; ours is the definition, dW[i,j] = Σ_t
 *    x(i,j)[t]ᵀ · dy[t] with x(i,j) the input shifted by tap (i, j),
 *    gathered by a plain loop and multiplied by cpu's blocked matMul. It is
 *    checked against cpu's own kernel in cpuReference.test.ts.
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

interface KernelArgs { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: tf.NamedAttrMap }

function resizeNearestNeighborGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike;
  const { images, dy } = args.inputs;
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
  const [n, h, w, c] = images.shape;
  const [, oh, ow] = dy.shape;
  const dyValues = backend.readSync(dy.dataId) as Float32Array;
  const out = new Float32Array(n * h * w * c);
  // The forward pass (tfjs resizeNearestNeighbor): output pixel → source pixel.
  const source = (o: number, inLen: number, outLen: number) => {
    const scale = alignCorners && outLen > 1 ? (inLen - 1) / (outLen - 1) : inLen / outLen;
    const frac = halfPixelCenters ? scale * (o + 0.5) : scale * o;
    const nearest = Math.min(inLen - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    return halfPixelCenters ? Math.max(0, nearest) : nearest;
  };
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const sy = source(y, h, oh);
      for (let x = 0; x < ow; x++) {
        const sx = source(x, w, ow);
        const from = ((b * oh + y) * ow + x) * c;
        const to = ((b * h + sy) * w + sx) * c;
        for (let k = 0; k < c; k++) out[to + k] += dyValues[from + k];
      }
    }
  }
  return backend.makeTensorInfo(images.shape, 'float32', out);
}

/** Source row/column of output index o, as cpu's forward resizeBilinear computes it. */
function bilinearSource(o: number, ratio: number, inLen: number, halfPixelCenters: boolean) {
  const frac = halfPixelCenters ? ratio * (o + 0.5) - 0.5 : ratio * o;
  const floor = Math.max(0, Math.floor(frac));
  return { floor, ceil: Math.min(inLen - 1, Math.ceil(frac)), weight: frac - floor };
}

function resizeBilinearGrad(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike;
  const { images, dy } = args.inputs;
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
  const [n, h, w, c] = images.shape;
  const [, oh, ow] = dy.shape;
  const ratio = (inLen: number, outLen: number) =>
    alignCorners && outLen > 1 ? (inLen - 1) / (outLen - 1) : inLen / outLen;
  const rowRatio = ratio(h, oh);
  const colRatio = ratio(w, ow);
  const g = backend.readSync(dy.dataId) as Float32Array;
  const out = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const r = bilinearSource(y, rowRatio, h, halfPixelCenters);
      for (let x = 0; x < ow; x++) {
        const q = bilinearSource(x, colRatio, w, halfPixelCenters);
        const from = ((b * oh + y) * ow + x) * c;
        const corners: Array<[number, number, number]> = [
          [r.floor, q.floor, (1 - r.weight) * (1 - q.weight)],
          [r.floor, q.ceil, (1 - r.weight) * q.weight],
          [r.ceil, q.floor, r.weight * (1 - q.weight)],
          [r.ceil, q.ceil, r.weight * q.weight],
        ];
        for (const [row, col, weight] of corners) {
          const to = ((b * h + row) * w + col) * c;
          for (let k = 0; k < c; k++) out[to + k] += weight * g[from + k];
        }
      }
    }
  }
  return backend.makeTensorInfo(images.shape, 'float32', out);
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuBackendLike;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as {
    strides: number | [number, number]; pad: 'same'; dimRoundingMode?: 'floor'; filterShape: [number, number, number, number];
  };
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outChannels: co } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const xValues = backend.readSync(x.dataId) as Float32Array;
  const positions = n * oh * ow;
  const dy2 = backend.makeTensorInfo([positions, co], 'float32', backend.readSync(dy.dataId));
  const matMul = tf.getKernel('BatchMatMul', 'cpu')!.kernelFunc;
  const dw = new Float32Array(kh * kw * c * co);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const shifted = new Float32Array(positions * c); // zero where the tap reads padding
      for (let b = 0; b < n; b++) {
        for (let y = 0; y < oh; y++) {
          const row = y * sh + i - info.padInfo.top;
          if (row < 0 || row >= h) continue;
          for (let xo = 0; xo < ow; xo++) {
            const col = xo * sw + j - info.padInfo.left;
            if (col < 0 || col >= w) continue;
            const from = ((b * h + row) * w + col) * c;
            shifted.set(xValues.subarray(from, from + c), ((b * oh + y) * ow + xo) * c);
          }
        }
      }
      const a = backend.makeTensorInfo([positions, c], 'float32', shifted);
      const tap = matMul({ inputs: { a, b: dy2 }, backend: backend as unknown as tf.KernelBackend, attrs: { transposeA: true, transposeB: false } }) as tf.TensorInfo;
      dw.set(backend.readSync(tap.dataId) as Float32Array, (i * kw + j) * c * co);
      backend.disposeIntermediateTensorInfo(a);
      backend.disposeIntermediateTensorInfo(tap);
    }
  }
  backend.disposeIntermediateTensorInfo(dy2);
  return backend.makeTensorInfo(attrs.filterShape, 'float32', dw);
}

const references: tf.KernelConfig[] = [
  { kernelName: 'ResizeNearestNeighborGrad', backendName: 'cpu', kernelFunc: resizeNearestNeighborGrad as unknown as tf.KernelFunc },
  { kernelName: 'ResizeBilinearGrad', backendName: 'cpu', kernelFunc: resizeBilinearGrad as unknown as tf.KernelFunc },
  { kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc },
];

/** Run `fn` with the reference kernels in place of cpu's own. */
export async function withCpuReferenceKernels<T>(fn: () => Promise<T>): Promise<T> {
  const originals = references.map((r) => tf.getKernel(r.kernelName, 'cpu'));
  for (const r of references) {
    tf.unregisterKernel(r.kernelName, 'cpu');
    tf.registerKernel(r);
  }
  try {
    return await fn();
  } finally {
    references.forEach((r, i) => {
      tf.unregisterKernel(r.kernelName, 'cpu');
      if (originals[i]) tf.registerKernel(originals[i]!);
    });
  }
}
