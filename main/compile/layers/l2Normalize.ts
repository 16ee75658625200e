import * as tf from '@tensorflow/tfjs';
import type { L2NormalizeLayerConfig } from '../../core';
import { type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * PyTorch's F.normalize(x, p=2, dim=-1, eps): x / max(‖x‖₂, eps), each vector scaled to unit
 * length. Computed as x · rsqrt(max(Σx², eps²)) — the same value — because the gradient of a
 * square root at an all-zero vector is infinite, while this form's is finite.
 */
export class L2Normalize extends tf.layers.Layer {
  static readonly className = 'L2Normalize';
  readonly epsilon: number;

  constructor(config: L2NormalizeLayerConfig & LayerArgs) {
    super(config);
    this.epsilon = config.epsilon;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return onlyShape(inputShape, this.name);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name);
      const squares = tf.sum(tf.square(x), -1, true);
      return tf.mul(x, tf.rsqrt(tf.maximum(squares, this.epsilon * this.epsilon)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(L2Normalize, 'VisionBench');
