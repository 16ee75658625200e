import * as tf from '@tensorflow/tfjs';
import type { NamedLayerConfig } from '../../core';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * torchvision ViT's class_token: one learned D-vector, initialised to zeros, prepended to every
 * token sequence: [B,N,D] → [B,N+1,D]. The transformer mixes the image into it and the head
 * reads it back.
 */
export class ClassToken extends tf.layers.Layer {
  static readonly className = 'ClassToken';
  private token?: tf.LayerVariable;

  constructor(config: NamedLayerConfig & LayerArgs) {
    super(config);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const dim = knownDim(onlyShape(inputShape, this.name), -1, this.name);
    this.token = this.addWeight('token', [1, 1, dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, n, d] = onlyShape(inputShape, this.name);
    return [b, n === null ? null : n + 1, d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name);
      const tokens = tf.tile(this.token!.read(), [x.shape[0], 1, 1]);
      return tf.concat([tokens, x], 1);
    });
  }
}
tf.serialization.registerClass(ClassToken, 'VisionBench');
