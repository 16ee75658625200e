import { BLOCKS, type BlockCategory, type BlockDefinition } from '../../../main/core';

export const CATEGORY_LABELS: Record<BlockCategory, string> = {
  input: 'Input',
  convolution: 'Convolution',
  normalization: 'Normalization',
  activation: 'Activation',
  pooling: 'Pooling',
  merge: 'Merge',
  linear: 'Linear',
  shape: 'Shape',
  regularization: 'Regularization',
  attention: 'Attention',
  transformer: 'Transformer',
  group: 'Groups',
  head: 'Heads',
};

/** Registry blocks grouped by category, groups and blocks in the registry's palette order. */
export function blocksByCategory(blocks: readonly BlockDefinition[] = BLOCKS): { category: BlockCategory; label: string; blocks: BlockDefinition[] }[] {
  const groups = new Map<BlockCategory, BlockDefinition[]>();
  for (const block of blocks) groups.set(block.category, [...(groups.get(block.category) ?? []), block]);
  return [...groups].map(([category, list]) => ({ category, label: CATEGORY_LABELS[category] ?? category, blocks: list }));
}

/** A block's params with their defaults filled in, for the inspector; null when they do not parse. */
export function resolvedParams(block: BlockDefinition, params: Record<string, unknown>): Record<string, unknown> | null {
  const parsed = block.params.safeParse(params);
  return parsed.success ? (parsed.data as Record<string, unknown>) : null;
}
