import { z } from 'zod';
import { defineComposite } from '../composite';
import { SubgraphBuilder } from './subgraphBuilder';

const TransformerEncoderBlockParams = z.strictObject({
  heads: z.number().int().positive().default(8),
  mlpRatio: z.number().positive().default(4),
  dropout: z.number().min(0).lt(1).default(0),
  eps: z.number().positive().default(1e-6),
});

/** A pre-norm ViT encoder block on tokens [N,D], as torchvision's EncoderBlock. */
export const TransformerEncoderBlock = defineComposite<z.infer<typeof TransformerEncoderBlockParams>>({
  type: 'TransformerEncoderBlock',
  category: 'group',
  doc: 'Pre-norm transformer encoder block on tokens [N,D]: LayerNorm → multi-head self-attention → add; LayerNorm → MLP → add.',
  params: TransformerEncoderBlockParams,
  inputs: [{ name: 'in', arity: 'one' }],
  outputs: ['out'],
  expand(p) {
    const b = new SubgraphBuilder('Transformer encoder block');
    const input = b.input();
    let x = b.add('norm1', 'LayerNorm', { eps: p.eps }, [input]);
    x = b.add('attention', 'MultiHeadSelfAttention', { heads: p.heads, dropout: p.dropout }, [x]);
    const mid = b.add('add1', 'Add', {}, [x, input]);
    x = b.add('norm2', 'LayerNorm', { eps: p.eps }, [mid]);
    x = b.add('mlp', 'MLP', { ratio: p.mlpRatio, dropout: p.dropout }, [x]);
    return b.output(b.add('add2', 'Add', {}, [x, mid]));
  },
});
