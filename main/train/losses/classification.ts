import type * as TF from '@tensorflow/tfjs';

/** Mean softmax cross-entropy of logits [B,K] against integer labels [B], with optional label smoothing. */
export function classificationLoss(tf: typeof TF, logits: TF.Tensor2D, labels: TF.Tensor1D, classes: number, labelSmoothing = 0): TF.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, classes).toFloat();
    return tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, labelSmoothing) as TF.Scalar;
  });
}

/** Number of samples whose label is among the k highest logits. */
export function topKCorrect(tf: typeof TF, logits: TF.Tensor2D, labels: TF.Tensor1D, k: number): number {
  return tf.tidy(() => {
    const kk = Math.min(k, logits.shape[1]);
    const { indices } = tf.topk(logits, kk);
    const hits = indices.equal(labels.expandDims(1).toInt()).any(1);
    return hits.sum().dataSync()[0];
  });
}
