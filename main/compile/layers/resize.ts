import * as tf from '@tensorflow/tfjs';
import type { ResizeLayerConfig } from '../../core';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * Row-major [out, in] matrix M with out = M·in along one axis, as PyTorch's F.interpolate reads
 * source pixels: bilinear with align_corners=False (source = (dst + ½)·in/out − ½, clamped at 0,
 * blending the two neighbours), nearest as source = floor(dst·in/out).
 */
export function interpolationMatrix(inSize: number, outSize: number, mode: ResizeLayerConfig['mode']): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let dst = 0; dst < outSize; dst++) {
    if (mode === 'nearest') {
      m[dst * inSize + Math.min(Math.floor(dst * scale), inSize - 1)] = 1;
      continue;
    }
    const src = Math.max((dst + 0.5) * scale - 0.5, 0);
    const lo = Math.min(Math.floor(src), inSize - 1);
    const hi = Math.min(lo + 1, inSize - 1);
    const t = src - lo;
    m[dst * inSize + lo] += 1 - t;
    m[dst * inSize + hi] += t;
  }
  return m;
}

/**
 * Resizes NHWC images to a fixed [H,W] with PyTorch's semantics, as two matrix products (one
 * per axis) with the interpolation matrices. Why not tf.image.resizeBilinear: TF.js's bilinear
 * upsampling does not place pixels as PyTorch does (no half-pixel centres in tf.layers.upSampling2d),
 * the cpu backend's ResizeBilinearGrad ignores halfPixelCenters and returns a transposed shape for
 * non-square images (so training fails), and tf.layers.resizing reports a wrong symbolic shape.
 * Matrix products are exact, differentiate on every backend, and take any output size; they cost
 * in+out multiply-adds per output element and axis rather than 4, which only matters for large
 * resizes of wide tensors.
 */
export class InterpolateResize extends tf.layers.Layer {
  static readonly className = 'InterpolateResize';
  readonly size: [number, number];
  readonly mode: ResizeLayerConfig['mode'];
  private rows?: Float32Array;
  private cols?: Float32Array;

  constructor(config: ResizeLayerConfig & LayerArgs) {
    super(config);
    this.size = [config.size[0], config.size[1]];
    this.mode = config.mode;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = onlyShape(inputShape, this.name);
    this.rows = interpolationMatrix(knownDim(shape, 1, this.name), this.size[0], this.mode);
    this.cols = interpolationMatrix(knownDim(shape, 2, this.name), this.size[1], this.mode);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, , , c] = onlyShape(inputShape, this.name);
    return [b, this.size[0], this.size[1], c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const [oh, ow] = this.size;
      // Along H: [H, B·W·C] mixed by the [oh,H] matrix gives [oh, B, W, C].
      const byRows = tf.reshape(tf.matMul(tf.tensor2d(this.rows!, [oh, h]), tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, b * w * c])), [oh, b, w, c]);
      // Along W: [W, B·oh·C] mixed by the [ow,W] matrix gives [ow, B, oh, C].
      const byCols = tf.matMul(tf.tensor2d(this.cols!, [ow, w]), tf.reshape(tf.transpose(byRows, [2, 1, 0, 3]), [w, b * oh * c]));
      return tf.transpose(tf.reshape(byCols, [ow, b, oh, c]), [1, 2, 0, 3]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, mode: this.mode };
  }
}
tf.serialization.registerClass(InterpolateResize, 'VisionBench');
