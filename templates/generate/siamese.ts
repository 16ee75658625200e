import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';
import { basicBlock, convBnRelu } from './resnetParts';

/**
 * The shared tower of a siamese / triplet network: a small residual CNN on 64×64 images, global
 * average pooling and a 64-dimensional unit-length embedding. Anchor, positive and negative go
 * through the same weights: a batch of identities is one forward pass.
 */
export function siameseEmbedder(): GraphIR {
  const g = new GraphBuilder('siamese_embedder', {
    description:
      'A siamese/triplet embedder for 64x64 images: a small residual CNN (32→64→128 channels), global average pooling and a 64-dimensional L2-normalised embedding trained with a triplet loss (margin 0.2) on batches of several images per identity; evaluated by recall@1/5.',
    tasks: ['embedding'],
    recipe: { epochs: 20, batchSize: 32, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: ['hflip'] },
  });
  let x = g.add('input', 'Input', { channels: 3, height: 64, width: 64 }, []);
  x = convBnRelu(g, 'stem', x, 32, 3, 2, 1);
  x = basicBlock(g, 'stage1', x, 32, 64, 2);
  x = basicBlock(g, 'stage2', x, 64, 128, 2);
  g.newBand();
  x = g.add('pool', 'GlobalAvgPool', {}, [x]);
  g.add('head', 'EmbeddingHead', { dim: 64, loss: 'triplet', margin: 0.2 }, [x]);
  return g.build();
}
