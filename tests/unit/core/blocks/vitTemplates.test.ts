import { describe, expect, it } from 'vitest';
import { RecipeSchema, inferGraph } from '../../../../main/core';
import { loadTemplate } from '../../../../main/templates/templateLibrary';
import { vitB16, vitTiny } from '../../../../templates/generate/vit';

/** Parameters of a pre-norm ViT written out by hand (torchvision's VisionTransformer). */
function vitParams(c: number, image: number, patch: number, d: number, depth: number, mlp: number, classes: number): number {
  const tokens = (image / patch) ** 2 + 1;
  const patchEmbed = patch * patch * c * d + d;
  const classToken = d;
  const position = tokens * d;
  const layerNorm = 2 * d;
  const attention = 3 * d * d + 3 * d + d * d + d;
  const feedForward = d * mlp + mlp + mlp * d + d;
  const head = d * classes + classes;
  return patchEmbed + classToken + position + depth * (2 * layerNorm + attention + feedForward) + layerNorm + head;
}

describe('ViT templates', () => {
  it('vit_b_16 has exactly torchvision’s 86,567,656 parameters and a [1000] output', () => {
    const report = inferGraph(loadTemplate('vit_b_16'));
    expect(report.errors).toEqual([]);
    expect(vitParams(3, 224, 16, 768, 12, 3072, 1000)).toBe(86_567_656);
    expect(report.totals.params).toBe(86_567_656);
    expect(report.nodes.find((n) => n.id === 'pos_embed')!.outShape).toEqual([197, 768]);
    expect(report.nodes.at(-1)!.outShape).toEqual([1000]);
    // About 17.6 G multiply-adds is the figure usually quoted for ViT-B/16 at 224×224.
    expect(report.totals.flops / 2 / 1e9).toBeCloseTo(17.6, 0);
  });

  it('vit_tiny: 3×64×64, patch 8, dim 192, depth 6, 3 heads, 10 classes, with an adam/cosine recipe', () => {
    const graph = loadTemplate('vit_tiny');
    const report = inferGraph(graph);
    expect(report.errors).toEqual([]);
    expect(report.totals.params).toBe(vitParams(3, 64, 8, 192, 6, 768, 10));
    expect(report.nodes[0].outShape).toEqual([3, 64, 64]);
    expect(report.nodes.find((n) => n.id === 'patch_embed')!.outShape).toEqual([64, 192]);
    expect(report.nodes.at(-1)!.outShape).toEqual([10]);
    expect(graph.meta.tasks).toEqual(['classification']);
    const recipe = RecipeSchema.parse(graph.meta.recipe);
    expect(recipe).toMatchObject({ optimizer: 'adam', schedule: 'cosine', augmentation: [] });
    expect(graph.meta.description).toMatch(/64x64/);
  });

  it.each([
    ['vit_b_16', vitB16],
    ['vit_tiny', vitTiny],
  ])('%s.json is what its generator writes (run npm run templates after changing it)', (name, generate) => {
    expect(loadTemplate(name)).toEqual(generate());
  });

  it('lays out one band per encoder block', () => {
    const graph = loadTemplate('vit_tiny');
    const rows = new Set(graph.nodes.filter((n) => n.id.startsWith('encoder3_')).map((n) => n.position!.y));
    expect(rows.size).toBe(1);
    expect(new Set(graph.nodes.map((n) => n.position!.y)).size).toBe(6 + 2);
  });
});
