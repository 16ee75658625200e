import * as tf from '@tensorflow/tfjs';
import type { GroupNormLayerConfig } from '../../core';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * PyTorch's nn.GroupNorm(groups, C, eps, affine=True) on channels-last tensors (NHWC, or any
 * rank with the channels last): the C channels are split into `groups` consecutive groups, each
 * normalised by the mean and biased variance over its channels and every position of a sample,
 * then scaled by gamma and shifted by beta per channel (initialised to 1 and 0, as PyTorch).
 * tfjs-layers has no group normalisation.
 */
export class GroupNorm extends tf.layers.Layer {
  static readonly className = 'GroupNorm';
  readonly groups: number;
  readonly epsilon: number;
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  constructor(config: GroupNormLayerConfig & LayerArgs) {
    super(config);
    this.groups = config.groups;
    this.epsilon = config.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = knownDim(onlyShape(inputShape, this.name), -1, this.name);
    if (channels % this.groups !== 0) throw new Error(`${this.name}: groups=${this.groups} must divide the ${channels} channels`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return onlyShape(inputShape, this.name);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name);
      const [batch, ...rest] = x.shape;
      const channels = rest[rest.length - 1];
      const positions = rest.slice(0, -1).reduce((a, b) => a * b, 1);
      // [B, positions, G, C/G]: each group's statistics reduce axes 1 and 3.
      const grouped = tf.reshape(x, [batch, positions, this.groups, channels / this.groups]);
      const { mean, variance } = tf.moments(grouped, [1, 3], true);
      const normalized = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(tf.reshape(normalized, x.shape), this.gamma!.read()), this.beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(GroupNorm, 'VisionBench');
