import type { GraphIR } from '../../main/core';
import { GraphBuilder } from './builder';

interface VitConfig {
  name: string;
  meta: GraphIR['meta'];
  input: { channels: number; height: number; width: number };
  patchSize: number;
  dim: number;
  depth: number;
  heads: number;
  mlpDim: number;
  classes: number;
}

/** torchvision's ViT LayerNorm epsilon. */
const LN = { eps: 1e-6 };

/** One pre-norm encoder block on its own band: LayerNorm → attention → Add; LayerNorm → MLP → Add. */
function encoderBlock(g: GraphBuilder, id: string, input: string, heads: number, mlpDim: number): string {
  g.newBand();
  let x = g.add(`${id}_ln1`, 'LayerNorm', LN, [input]);
  x = g.add(`${id}_attn`, 'MultiHeadSelfAttention', { heads }, [x]);
  const mid = g.add(`${id}_add1`, 'Add', {}, [input, x]);
  x = g.add(`${id}_ln2`, 'LayerNorm', LN, [mid]);
  x = g.add(`${id}_mlp`, 'MLP', { hiddenDim: mlpDim }, [x]);
  return g.add(`${id}_add2`, 'Add', {}, [mid, x]);
}

/** A Vision Transformer (Dosovitskiy et al., 2020) from primitives, laid out as torchvision's VisionTransformer. */
function vit(c: VitConfig): GraphIR {
  const g = new GraphBuilder(c.name, c.meta);
  let x = g.add('input', 'Input', c.input, []);
  x = g.add('patch_embed', 'PatchEmbed', { patchSize: c.patchSize, dim: c.dim }, [x]);
  x = g.add('class_token', 'ClassToken', {}, [x]);
  x = g.add('pos_embed', 'PositionEmbedding', {}, [x]);
  for (let i = 0; i < c.depth; i++) x = encoderBlock(g, `encoder${i}`, x, c.heads, c.mlpDim);
  g.newBand();
  x = g.add('norm', 'LayerNorm', LN, [x]);
  x = g.add('cls_select', 'SelectToken', { index: 0 }, [x]);
  g.add('head', 'ClassificationHead', { classes: c.classes }, [x]);
  return g.build();
}

export function vitB16(): GraphIR {
  return vit({
    name: 'vit_b_16',
    meta: {
      description:
        'ViT-B/16 (Dosovitskiy et al., 2020): 16x16 patches of a 224x224 image (196 tokens + class token), 12 pre-norm encoder blocks of width 768 with 12 heads and 3072-wide MLPs, 1000-class head. 86,567,656 parameters, as torchvision vit_b_16. Attention, class token and position embedding have no TF.js layer yet, so it checks and sizes but does not train.',
      tasks: ['classification'],
      recipe: { epochs: 300, batchSize: 512, optimizer: 'adam', learningRate: 0.003, schedule: 'cosine', augmentation: ['random_resized_crop', 'hflip'] },
    },
    input: { channels: 3, height: 224, width: 224 },
    patchSize: 16,
    dim: 768,
    depth: 12,
    heads: 12,
    mlpDim: 3072,
    classes: 1000,
  });
}

export function vitTiny(): GraphIR {
  return vit({
    name: 'vit_tiny',
    meta: {
      description:
        'A small Vision Transformer for 64x64 images: 8x8 patches give 64 tokens + a class token, 6 pre-norm encoder blocks of width 192 with 3 heads and 768-wide MLPs, 10 classes; about 2.7 M parameters. 64x64 rather than 128x128 keeps 65 tokens instead of 257, so attention costs 16x less and a CPU epoch stays short. Trains once the engine has its attention, class-token and position-embedding layers.',
      tasks: ['classification'],
      recipe: { epochs: 10, batchSize: 64, optimizer: 'adam', learningRate: 0.001, schedule: 'cosine', augmentation: [] },
    },
    input: { channels: 3, height: 64, width: 64 },
    patchSize: 8,
    dim: 192,
    depth: 6,
    heads: 3,
    mlpDim: 768,
    classes: 10,
  });
}
