import { describe, expect, it } from 'vitest';
import { RecipeSchema, getBlock, inferGraph, type GraphIR } from '../../../../main/core';
import { loadTemplate } from '../../../../main/templates/templateLibrary';
import { unetSmall } from '../../../../templates/generate/unet';
import { deeplabSmall } from '../../../../templates/generate/deeplab';
import { yoloFpn } from '../../../../templates/generate/yoloFpn';
import { keypointHeatmap } from '../../../../templates/generate/keypointHeatmap';
import { siameseEmbedder } from '../../../../templates/generate/siamese';
import { multitask } from '../../../../templates/generate/multitask';

/** Conv k×k (no bias) + BatchNorm: weights plus BN's scale and shift. */
const convBn = (k: number, cin: number, cout: number) => k * k * cin * cout + 2 * cout;
/** Two 3×3 Conv-BN-ReLU units (a U-Net level). */
const doubleConv = (cin: number, cout: number) => convBn(3, cin, cout) + convBn(3, cout, cout);
/** ResNet BasicBlock with a 1×1 projection shortcut. */
const basicBlock = (cin: number, cout: number) => convBn(3, cin, cout) + convBn(3, cout, cout) + convBn(1, cin, cout);
const convBias = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;

/** The heads of a template (its outputs), by id: task, loss weight and output shape. */
function heads(graph: GraphIR) {
  const report = inferGraph(graph);
  expect(report.errors).toEqual([]);
  return report.outputs.map((id) => {
    const node = graph.nodes.find((n) => n.id === id)!;
    const block = getBlock(node.type)!;
    const info = block.head!(block.params.parse(node.params));
    return { id, task: info.task, lossWeight: info.lossWeight, loss: info.loss, shape: report.nodes.find((n) => n.id === id)!.outShape };
  });
}

const TEMPLATES: [string, () => GraphIR][] = [
  ['unet_small', unetSmall],
  ['deeplab_small', deeplabSmall],
  ['yolo_fpn', yoloFpn],
  ['keypoint_heatmap', keypointHeatmap],
  ['siamese_embedder', siameseEmbedder],
  ['multitask', multitask],
];

describe('task templates', () => {
  it.each(TEMPLATES)('%s.json is what its generator writes, valid, with a CPU-sized recipe and tasks matching its heads', (name, generate) => {
    const graph = loadTemplate(name);
    expect(graph).toEqual(generate());
    const found = heads(graph);
    expect(graph.meta.tasks).toEqual(found.map((h) => h.task));
    const recipe = RecipeSchema.parse(graph.meta.recipe);
    expect(recipe.batchSize).toBeLessThanOrEqual(32);
    expect(recipe.epochs).toBeLessThanOrEqual(30);
    expect(graph.meta.description!.length).toBeGreaterThan(80);
    const [c, h, w] = [graph.nodes[0].params.channels, graph.nodes[0].params.height, graph.nodes[0].params.width] as number[];
    expect(c).toBe(3);
    expect(h).toBe(w);
    expect([64, 128]).toContain(h);
  });

  it('unet_small: 4-class logits at 128×128 and hand-counted parameters', () => {
    const graph = loadTemplate('unet_small');
    expect(heads(graph)).toEqual([{ id: 'head', task: 'segmentation', lossWeight: 1, loss: 'dice_ce', shape: [4, 128, 128] }]);
    const encoder = doubleConv(3, 16) + doubleConv(16, 32) + doubleConv(32, 64) + doubleConv(64, 128);
    const decoder = convBias(2, 128, 64) + doubleConv(128, 64) + convBias(2, 64, 32) + doubleConv(64, 32) + convBias(2, 32, 16) + doubleConv(32, 16);
    expect(inferGraph(graph).totals.params).toBe(encoder + decoder + convBias(1, 16, 4));
    const report = inferGraph(graph);
    const shape = (id: string) => report.nodes.find((n) => n.id === id)!.outShape;
    expect(shape('enc3_pool')).toEqual([64, 16, 16]);
    expect(shape('bottleneck_b_relu')).toEqual([128, 16, 16]);
    expect(shape('dec3_concat')).toEqual([128, 32, 32]);
    expect(shape('dec1_concat')).toEqual([32, 128, 128]);
  });

  it('deeplab_small: dilated stage at 16×16, ASPP of five 64-channel branches, upsampled to 128×128', () => {
    const graph = loadTemplate('deeplab_small');
    const report = inferGraph(graph);
    const shape = (id: string) => report.nodes.find((n) => n.id === id)!.outShape;
    expect(shape('stage3_b_relu')).toEqual([96, 16, 16]);
    expect(shape('stage4_b_relu')).toEqual([128, 16, 16]);
    for (const rate of [1, 2, 3]) expect(graph.nodes.find((n) => n.id === `aspp_rate${rate}_conv`)!.params).toMatchObject({ dilation: rate, padding: rate });
    expect(shape('aspp_pool')).toEqual([128, 1, 1]);
    expect(shape('aspp_pool_up')).toEqual([64, 16, 16]);
    expect(shape('aspp_concat')).toEqual([320, 16, 16]);
    expect(shape('upsample')).toEqual([64, 128, 128]);
    expect(heads(graph)).toEqual([{ id: 'head', task: 'segmentation', lossWeight: 1, loss: 'dice_ce', shape: [4, 128, 128] }]);
    const backbone = convBn(3, 3, 32) + convBn(3, 32, 32) + convBn(3, 32, 64) + convBn(3, 64, 64) + convBn(3, 64, 96) + convBn(3, 96, 96) + convBn(3, 96, 128) + convBn(3, 128, 128);
    const aspp = convBn(1, 128, 64) + 3 * convBn(3, 128, 64) + convBn(1, 128, 64) + convBn(1, 320, 64);
    expect(report.totals.params).toBe(backbone + aspp + convBias(1, 64, 4));
  });

  it('yolo_fpn: P3/P4/P5 at 16/8/4 with 64 channels, (256+64+16)·3 anchors of 4+1+3 values', () => {
    const graph = loadTemplate('yolo_fpn');
    const report = inferGraph(graph);
    const shape = (id: string) => report.nodes.find((n) => n.id === id)!.outShape;
    expect([shape('stage3_relu'), shape('stage4_relu'), shape('stage5_relu')]).toEqual([
      [64, 16, 16],
      [128, 8, 8],
      [256, 4, 4],
    ]);
    expect([shape('fpn_p3'), shape('fpn_p4'), shape('fpn_p5')]).toEqual([
      [64, 16, 16],
      [64, 8, 8],
      [64, 4, 4],
    ]);
    // The head's levels arrive finest first.
    expect(graph.edges.filter((e) => e.to.node === 'head').map((e) => e.from.node)).toEqual(['fpn_p3', 'fpn_p4', 'fpn_p5']);
    expect(heads(graph)).toEqual([{ id: 'head', task: 'detection', lossWeight: 1, loss: 'focal+smooth_l1', shape: [1008, 8] }]);
    const backbone = convBn(3, 3, 16) + basicBlock(16, 32) + basicBlock(32, 64) + basicBlock(64, 128) + basicBlock(128, 256);
    const fpn = convBias(1, 256, 64) + convBias(1, 128, 64) + convBias(1, 64, 64) + 3 * convBias(3, 64, 64);
    expect(report.totals.params).toBe(backbone + fpn + 3 * convBias(1, 64, 3 * 8));
  });

  it('keypoint_heatmap: stride-16 backbone, two ×2 deconvs, 5 heatmaps of 32×32', () => {
    const graph = loadTemplate('keypoint_heatmap');
    const report = inferGraph(graph);
    expect(report.nodes.find((n) => n.id === 'stage3_relu')!.outShape).toEqual([128, 8, 8]);
    expect(heads(graph)).toEqual([{ id: 'head', task: 'keypoints', lossWeight: 1, loss: 'mse', shape: [5, 32, 32] }]);
    const deconvs = 16 * 128 * 64 + 2 * 64 + 16 * 64 * 64 + 2 * 64;
    expect(report.totals.params).toBe(convBn(3, 3, 16) + basicBlock(16, 32) + basicBlock(32, 64) + basicBlock(64, 128) + deconvs + convBias(1, 64, 5));
  });

  it('siamese_embedder: 3×64×64 → [128] pooled → 64-d triplet embedding', () => {
    const graph = loadTemplate('siamese_embedder');
    const report = inferGraph(graph);
    expect(report.nodes.find((n) => n.id === 'pool')!.outShape).toEqual([128]);
    expect(heads(graph)).toEqual([{ id: 'head', task: 'embedding', lossWeight: 1, loss: 'triplet', shape: [64] }]);
    expect(report.totals.params).toBe(convBn(3, 3, 32) + basicBlock(32, 64) + basicBlock(64, 128) + 128 * 64 + 64);
  });

  it('multitask: one backbone, three heads weighted 0.5 / 1.0 / 0.5 as the description’s recipe says', () => {
    const graph = loadTemplate('multitask');
    expect(heads(graph)).toEqual([
      { id: 'cls_head', task: 'classification', lossWeight: 0.5, loss: 'cross_entropy', shape: [4] },
      { id: 'det_head', task: 'detection', lossWeight: 1, loss: 'focal+smooth_l1', shape: [1008, 8] },
      { id: 'seg_head', task: 'segmentation', lossWeight: 0.5, loss: 'dice_ce', shape: [2, 128, 128] },
    ]);
    expect(graph.meta.description).toContain('L = 0.5·CE + 1.0·Det + 0.5·(Dice+CE)');
    expect(graph.nodes.filter((n) => n.type === 'Input')).toHaveLength(1);
    const report = inferGraph(graph);
    expect(report.nodes.find((n) => n.id === 'seg_concat')!.outShape).toEqual([96, 32, 32]);
    const backbone = convBn(3, 3, 16) + basicBlock(16, 32) + basicBlock(32, 64) + basicBlock(64, 128) + basicBlock(128, 256);
    const fpn = convBias(1, 256, 64) + convBias(1, 128, 64) + convBias(1, 64, 64) + 3 * convBias(3, 64, 64);
    const cls = 256 * 4 + 4;
    const det = 3 * convBias(1, 64, 3 * 8);
    const seg = doubleConv(96, 32) + convBias(1, 32, 2);
    expect(report.totals.params).toBe(backbone + fpn + cls + det + seg);
  });

  it('lays out one band per stage', () => {
    const graph = loadTemplate('yolo_fpn');
    const bandOf = (prefix: string) => new Set(graph.nodes.filter((n) => n.id.startsWith(prefix)).map((n) => Math.floor(n.position!.y / 300)));
    for (const stage of ['stage2_', 'stage3_', 'stage4_', 'stage5_', 'fpn_']) expect(bandOf(stage).size, stage).toBe(1);
    expect(new Set(['stage2_', 'stage3_', 'stage4_', 'stage5_', 'fpn_'].map((s) => [...bandOf(s)][0])).size).toBe(5);
  });
});
