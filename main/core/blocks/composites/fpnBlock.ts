import { z } from 'zod';
import { defineComposite } from '../composite';
import { SubgraphBuilder } from './subgraphBuilder';

const FPNParams = z.strictObject({
  channels: z.number().int().positive().default(256),
});

const LEVELS = ['3', '4', '5'] as const;

/**
 * A feature pyramid over three backbone levels (strides 8, 16 and 32 in most detectors), as
 * torchvision's FeaturePyramidNetwork: each coarser level is upsampled ×2 and added to the next.
 */
export const FPN = defineComposite<z.infer<typeof FPNParams>>({
  type: 'FPN',
  category: 'group',
  doc: 'Feature pyramid network over three levels c3, c4, c5 (each half the size of the one before): 1×1 lateral convs to `channels`, a top-down path of ×2 nearest upsampling and adds, and a 3×3 conv per level, giving p3, p4, p5.',
  params: FPNParams,
  inputs: LEVELS.map((l) => ({ name: `c${l}`, arity: 'one' as const })),
  outputs: LEVELS.map((l) => `p${l}`),
  expand(p) {
    const b = new SubgraphBuilder('Feature pyramid network');
    const lateral = Object.fromEntries(LEVELS.map((l) => [l, b.add(`lateral${l}`, 'Conv2d', { outChannels: p.channels, kernel: 1, padding: 0 }, [b.input(`c${l}`)])]));
    let topDown = lateral['5'];
    const merged: Record<string, string> = { '5': topDown };
    for (const l of ['4', '3'] as const) {
      const up = b.add(`upsample${l}`, 'Upsample', { scale: 2, mode: 'nearest' }, [topDown]);
      topDown = b.add(`merge${l}`, 'Add', {}, [lateral[l], up]);
      merged[l] = topDown;
    }
    for (const l of LEVELS) b.output(b.add(`smooth${l}`, 'Conv2d', { outChannels: p.channels, kernel: 3, padding: 1 }, [merged[l]]), `p${l}`);
    return b.definition;
  },
});
