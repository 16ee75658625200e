import * as tf from '@tensorflow/tfjs';
import type { DilatedDepthwiseConv2dLayerConfig } from '../../core';
import { atrous, atrousOutputSize } from './atrous';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * Depthwise conv with dilation > 1 that trains: the weights of tf.layers.depthwiseConv2d
 * (kernel [K,K,C,M], bias [C·M]) and PyTorch's dilated, explicitly padded result, computed
 * through spaceToBatchND (atrous.ts). tf.layers.depthwiseConv2d ignores its dilation and
 * tfjs-core has no gradient for a dilated depthwise conv, so neither stock path works.
 */
export class DilatedDepthwiseConv2D extends tf.layers.Layer {
  static readonly className = 'DilatedDepthwiseConv2D';
  private readonly settings: Omit<DilatedDepthwiseConv2dLayerConfig, 'name'>;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(config: DilatedDepthwiseConv2dLayerConfig & LayerArgs) {
    super(config);
    const { depthMultiplier, kernelSize, stride, dilation, padding, useBias } = config;
    this.settings = { depthMultiplier, kernelSize, stride, dilation, padding, useBias };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = knownDim(onlyShape(inputShape, this.name), -1, this.name);
    const { kernelSize: k, depthMultiplier: m } = this.settings;
    this.kernel = this.addWeight('depthwise_kernel', [k, k, channels, m], 'float32', tf.initializers.heNormal({}));
    if (this.settings.useBias) this.bias = this.addWeight('bias', [channels * m], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = onlyShape(inputShape, this.name);
    const { padding, depthMultiplier } = this.settings;
    const size = (n: number | null, pad: [number, number]) => (n === null ? null : atrousOutputSize(n, pad, this.settings));
    return [b, size(h, padding[0]), size(w, padding[1]), c === null ? null : c * depthMultiplier];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name) as tf.Tensor4D;
      const y = atrous(x, this.settings, (spread) => tf.depthwiseConv2d(spread, this.kernel!.read() as tf.Tensor4D, 1, 'valid'));
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.settings };
  }
}
tf.serialization.registerClass(DilatedDepthwiseConv2D, 'VisionBench');
