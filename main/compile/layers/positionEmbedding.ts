import * as tf from '@tensorflow/tfjs';
import type { NamedLayerConfig } from '../../core';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/** torchvision ViT's initialisation of pos_embedding: normal with standard deviation 0.02. */
const INIT_STDDEV = 0.02;

/**
 * torchvision ViT's pos_embedding: a learned [N,D] table added to every token sequence [B,N,D].
 * Its size comes from the sequence it is built on, so a model compiled for another image size
 * (another N) gets another table.
 */
export class PositionEmbedding extends tf.layers.Layer {
  static readonly className = 'PositionEmbedding';
  private embedding?: tf.LayerVariable;

  constructor(config: NamedLayerConfig & LayerArgs) {
    super(config);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = onlyShape(inputShape, this.name);
    const tokens = knownDim(shape, -2, this.name);
    const dim = knownDim(shape, -1, this.name);
    this.embedding = this.addWeight('embedding', [tokens, dim], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: INIT_STDDEV }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return onlyShape(inputShape, this.name);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(onlyTensor(inputs, this.name), this.embedding!.read()));
  }
}
tf.serialization.registerClass(PositionEmbedding, 'VisionBench');
