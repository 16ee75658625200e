import * as tf from '@tensorflow/tfjs';
import type { MultiHeadSelfAttentionLayerConfig } from '../../core';
import { knownDim, type LayerArgs, onlyShape, onlyTensor } from './layerIo';

/**
 * Multi-head self-attention over tokens [B,N,D], as torch.nn.MultiheadAttention computes it in
 * torchvision's ViT: Q,K,V = x·W_in + b_in (one packed projection), per head
 * softmax(Q·Kᵀ/√(D/h))·V, heads concatenated, then x·W_out + b_out. TF.js has no trainable
 * multi-head attention (its einsum has no gradient), so this is built from matMul, softmax and
 * reshapes, which differentiate on every backend.
 *
 * Weights are stored as TF.js Dense stores them, [in, out]: `in_proj_kernel` [D,3D] is PyTorch's
 * in_proj_weight [3D,D] transposed (columns Q, then K, then V), `out_proj_kernel` [D,D] is
 * out_proj.weight transposed. Initialised as PyTorch: Xavier-uniform in_proj, uniform ±1/√D
 * out_proj (kaiming_uniform with a=√5), zero biases.
 */
export class MultiHeadSelfAttention extends tf.layers.Layer {
  static readonly className = 'MultiHeadSelfAttention';
  readonly heads: number;
  readonly qkvBias: boolean;
  readonly dropout: number;
  private inKernel?: tf.LayerVariable;
  private inBias?: tf.LayerVariable;
  private outKernel?: tf.LayerVariable;
  private outBias?: tf.LayerVariable;

  constructor(config: MultiHeadSelfAttentionLayerConfig & LayerArgs) {
    super(config);
    this.heads = config.heads;
    this.qkvBias = config.qkvBias;
    this.dropout = config.dropout;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const dim = knownDim(onlyShape(inputShape, this.name), -1, this.name);
    if (dim % this.heads !== 0) throw new Error(`${this.name}: heads=${this.heads} must divide the token dimension ${dim}`);
    this.inKernel = this.addWeight('in_proj_kernel', [dim, 3 * dim], 'float32', tf.initializers.glorotUniform({}));
    if (this.qkvBias) this.inBias = this.addWeight('in_proj_bias', [3 * dim], 'float32', tf.initializers.zeros());
    const outInit = tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
    this.outKernel = this.addWeight('out_proj_kernel', [dim, dim], 'float32', outInit);
    this.outBias = this.addWeight('out_proj_bias', [dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return onlyShape(inputShape, this.name);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name);
      const [batch, tokens, dim] = x.shape;
      const h = this.heads;
      const headDim = dim / h;
      let qkv = tf.matMul(tf.reshape(x, [batch * tokens, dim]), this.inKernel!.read() as tf.Tensor2D);
      if (this.inBias) qkv = tf.add(qkv, this.inBias.read());
      // [B·N, D] → [B·h, N, D/h]: the heads move into the batch of the matrix products.
      const perHead = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [batch, tokens, h, headDim]), [0, 2, 1, 3]), [batch * h, tokens, headDim]);
      const [q, k, v] = tf.split(qkv, 3, 1).map(perHead);
      // Scaling Q before the product equals scaling the scores (as PyTorch does) and costs N·D, not N².
      const scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(headDim)), k, false, true);
      let weights = tf.softmax(scores);
      if (kwargs?.training && this.dropout > 0) weights = tf.dropout(weights, this.dropout);
      const mixed = tf.matMul(weights, v);
      const merged = tf.reshape(tf.transpose(tf.reshape(mixed, [batch, h, tokens, headDim]), [0, 2, 1, 3]), [batch * tokens, dim]);
      const out = tf.add(tf.matMul(merged, this.outKernel!.read() as tf.Tensor2D), this.outBias!.read());
      return tf.reshape(out, [batch, tokens, dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, qkvBias: this.qkvBias, dropout: this.dropout };
  }
}
tf.serialization.registerClass(MultiHeadSelfAttention, 'VisionBench');
