import * as tf from '@tensorflow/tfjs';
import type { DilatedConv2dLayerConfig } from '../../core';
import { atrous, atrousOutputSize } from './atrous';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * Conv2d with dilation > 1 (DeepLab's atrous convolutions) that trains: the same weights as
 * tf.layers.conv2d (kernel [K,K,Cin,Cout], bias [Cout]) and the same result as a dilated
 * convolution with PyTorch's explicit padding, computed through spaceToBatchND (atrous.ts)
 * because TF.js has no gradient for dilated conv2d.
 */
export class DilatedConv2D extends tf.layers.Layer {
  static readonly className = 'DilatedConv2D';
  private readonly settings: Omit<DilatedConv2dLayerConfig, 'name'>;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(config: DilatedConv2dLayerConfig & LayerArgs) {
    super(config);
    const { filters, kernelSize, stride, dilation, padding, useBias } = config;
    this.settings = { filters, kernelSize, stride, dilation, padding, useBias };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = knownDim(onlyShape(inputShape, this.name), -1, this.name);
    const { kernelSize: k, filters } = this.settings;
    this.kernel = this.addWeight('kernel', [k, k, channels, filters], 'float32', tf.initializers.heNormal({}));
    if (this.settings.useBias) this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = onlyShape(inputShape, this.name);
    const { padding } = this.settings;
    const size = (n: number | null, pad: [number, number]) => (n === null ? null : atrousOutputSize(n, pad, this.settings));
    return [b, size(h, padding[0]), size(w, padding[1]), this.settings.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name) as tf.Tensor4D;
      const y = atrous(x, this.settings, (spread) => tf.conv2d(spread, this.kernel!.read() as tf.Tensor4D, 1, 'valid'));
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.settings };
  }
}
tf.serialization.registerClass(DilatedConv2D, 'VisionBench');
