import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../main/core';
import { listTemplates, loadTemplate } from '../../../main/templates/templateLibrary';

/** Published parameter counts (torchvision, 1000 classes, 224×224; BN running statistics excluded). */
const PUBLISHED: [string, number][] = [
  ['resnet18', 11_689_512],
  ['resnet34', 21_797_672],
  ['resnet50', 25_557_032],
  ['mobilenet_v2', 3_504_872],
  ['mobilenet_v3_small', 2_542_856],
  ['efficientnet_b0', 5_288_548],
  ['convnext_tiny', 28_589_128],
  ['vgg16', 138_357_544],
];

describe('templates', () => {
  it.each(PUBLISHED)('%s has exactly the published %i parameters and a [1000] output', (name, params) => {
    const report = inferGraph(loadTemplate(name));
    expect(report.errors).toEqual([]);
    expect(report.totals.params).toBe(params);
    expect(report.nodes[0].outShape).toEqual([3, 224, 224]);
    expect(report.nodes.at(-1)!.outShape).toEqual([1000]);
  });

  it('resnet18 costs the usually quoted 1.82 G multiply-adds at 224×224', () => {
    const report = inferGraph(loadTemplate('resnet18'));
    expect(report.totals.flops / 2 / 1e9).toBeCloseTo(1.82, 1);
  });

  it('tiny_resnet is a ~0.7 M-param 10-class net on 3×128×128 with a training recipe', () => {
    const graph = loadTemplate('tiny_resnet');
    const report = inferGraph(graph);
    expect(report.errors).toEqual([]);
    expect(report.totals.params).toBeGreaterThan(600_000);
    expect(report.totals.params).toBeLessThan(800_000);
    expect(report.nodes[0].outShape).toEqual([3, 128, 128]);
    expect(report.nodes.at(-1)!.outShape).toEqual([10]);
    expect(graph.meta.recipe?.epochs).toBeGreaterThan(0);
  });

  it('every template is valid and summarised with its task and input', () => {
    const all = listTemplates();
    expect(all.map((t) => t.name)).toEqual(expect.arrayContaining(['resnet18', 'tiny_resnet']));
    for (const t of all) {
      expect(t.tasks.length, t.name).toBeGreaterThan(0);
      expect(t.input, t.name).toHaveLength(3);
      expect(t.description.length, t.name).toBeGreaterThan(20);
    }
  });
});
