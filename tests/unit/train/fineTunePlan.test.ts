import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../main/compile/compileGraph';
import { loadTemplate } from '../../../main/templates/templateLibrary';
import { planFineTune, splitEpochs, type FineTunePlan, type FineTuneOptionsInput } from '../../../main/train/fineTunePlan';
import { createOptimizer } from '../../../main/train/optimizers';
import { nodeLrMultipliers } from '../../../main/train/variableNodes';
import type { GraphIR } from '../../../main/core';
import { graph, input } from '../core/graphFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function plan(g: GraphIR, options: FineTuneOptionsInput): FineTunePlan {
  const result = planFineTune(g, options);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.plan;
}

const resnet18 = loadTemplate('resnet18');
/** ResNet-18's weighted nodes: the stem conv + BN, 16 block convs + BNs, 3 downsample convs + BNs. */
const stages = ['layer1', 'layer2', 'layer3', 'layer4'];
const blockNodes = (stage: string) =>
  [0, 1].flatMap((b) => [
    ...['a_conv', 'a_bn', 'b_conv', 'b_bn'].map((p) => `${stage}_${b}_${p}`),
    ...(b === 0 && stage !== 'layer1' ? ['down_conv', 'down_bn'].map((p) => `${stage}_0_${p}`) : []),
  ]);

describe('planFineTune: the three-phase recipe', () => {
  it('ResNet-18: the backbone is every conv and BN, the head is new, and the top quarter is exactly layer4', () => {
    const p = plan(resnet18, { baseLr: 0.01 });
    expect(new Set(p.backbone)).toEqual(new Set(['stem_conv', 'stem_bn', ...stages.flatMap(blockNodes)]));
    expect(p.backbone).toHaveLength(40);
    expect(p.newNodes).toEqual(['head']);
    // ⌈0.25·40⌉ = 10: layer4's two blocks (4 + 4) and its downsample pair
    expect(new Set(p.topNodes)).toEqual(new Set(blockNodes('layer4')));
  });

  it('ResNet-18: phases of 5, 10 and 5 epochs; head only, then layer4 at a tenth of the rate, then all at a tenth of the base', () => {
    const [head, top, all] = plan(resnet18, { baseLr: 0.01 }).phases;
    expect([head, top, all].map((ph) => [ph.name, ph.epochs, ph.lr])).toEqual([
      ['head', 5, 0.01],
      ['top', 10, 0.01],
      ['all', 5, expect.closeTo(0.001, 12)],
    ]);
    expect(head.trainableNodes).toEqual(['head']);
    expect(head.frozenNodes).toHaveLength(40);
    expect(head.lrMultipliers).toMatchObject({ head: 1, stem_conv: 0, layer4_1_b_bn: 0 });
    expect(new Set(top.trainableNodes)).toEqual(new Set([...blockNodes('layer4'), 'head']));
    expect(top.lrMultipliers).toMatchObject({ head: 1, layer4_0_down_conv: 0.1, layer3_1_b_conv: 0, stem_conv: 0 });
    expect(all.trainableNodes).toHaveLength(41);
    expect(all.lrMultipliers).toMatchObject({ head: 1, stem_conv: 0.1, layer1_0_a_conv: 0.1 });
    expect(Object.keys(all.lrMultipliers)).toHaveLength(41);
  });

  it('options: total epochs split by fractions, other phase rates, a zero-epoch phase left out', () => {
    expect(plan(resnet18, { baseLr: 1, totalEpochs: 10 }).phases.map((p) => p.epochs)).toEqual([3, 5, 2]);
    const p = plan(resnet18, { baseLr: 1, epochsPerPhase: [2, 0, 3], phaseLrFactors: [1, 0.5, 0.01], backboneLrMultiplier: 0.5, topFraction: 1 });
    expect(p.phases.map((ph) => [ph.name, ph.epochs, ph.lr])).toEqual([
      ['head', 2, 1],
      ['all', 3, 0.01],
    ]);
    expect(p.phases[1].lrMultipliers.stem_conv).toBe(0.5);
  });

  it('splits epochs by largest remainders, ties to the earlier phase', () => {
    expect(splitEpochs(20, [0.25, 0.5, 0.25])).toEqual([5, 10, 5]);
    expect(splitEpochs(10, [0.25, 0.5, 0.25])).toEqual([3, 5, 2]); // 2.5, 5, 2.5
    expect(splitEpochs(7, [1, 1, 1])).toEqual([3, 2, 2]);
    expect(splitEpochs(3, [0.1, 0.1, 0.8])).toEqual([0, 0, 3]); // 0.3, 0.3, 2.4
  });

  it('multi-task: the trunk all three heads share is the backbone; FPN and the segmentation decoder are new', () => {
    const p = plan(loadTemplate('multitask'), { baseLr: 0.01 });
    expect(p.backbone.every((id) => /^(stem|stage\d)_/.test(id))).toBe(true);
    expect(p.backbone).toContain('stage5_b_conv');
    expect(p.newNodes).toEqual(expect.arrayContaining(['fpn_lateral5', 'fpn_p3', 'seg_dec_a_conv', 'cls_head', 'det_head', 'seg_head']));
    expect(p.newNodes.some((id) => id.startsWith('stage'))).toBe(false);
  });

  it('ViT: patch embedding, tokens, encoders and the final norm are the backbone; the classifier is new', () => {
    const vit = loadTemplate('vit_tiny');
    const p = plan(vit, { baseLr: 0.001 });
    expect(p.newNodes).toEqual(['head']);
    expect(p.backbone).toEqual(expect.arrayContaining(['encoder5_mlp', 'norm']));
    expect(p.topNodes.at(-1)).toBe('norm');
  });

  it('an MLP head after the pooling is new, though every head depends on it', () => {
    const g = graph(
      [
        input(3, 8, 8),
        { id: 'conv', type: 'Conv2d', params: { outChannels: 4 } },
        { id: 'gap', type: 'GlobalAvgPool', params: {} },
        { id: 'fc', type: 'Linear', params: { outFeatures: 8 } },
        { id: 'h', type: 'ClassificationHead', params: { classes: 2 } },
      ],
      ['in -> conv', 'conv -> gap', 'gap -> fc', 'fc -> h'],
    );
    const p = plan(g, { baseLr: 0.1 });
    expect(p.backbone).toEqual(['conv']);
    expect(p.newNodes).toEqual(['fc', 'h']);
  });

  it('pretrained nodes, when known, are the backbone: a U-Net’s decoder then trains from phase 1', () => {
    const unet = loadTemplate('unet_small');
    const encoder = unet.nodes.filter((n) => n.id.startsWith('enc')).map((n) => n.id);
    expect(encoder.length).toBeGreaterThan(0);
    const p = plan(unet, { baseLr: 0.01, pretrainedNodes: encoder });
    expect(p.backbone.every((id) => id.startsWith('enc'))).toBe(true);
    expect(p.newNodes).toEqual(expect.arrayContaining(['dec1_a_conv', 'head']));
    expect(p.phases[0].trainableNodes).toContain('dec1_a_conv');
  });

  it('a node frozen in the IR stays frozen in every phase', () => {
    const g = { ...resnet18, nodes: resnet18.nodes.map((n) => (n.id === 'layer4_1_b_conv' ? { ...n, frozen: true } : n)) };
    for (const phase of plan(g, { baseLr: 1 }).phases) expect(phase.lrMultipliers.layer4_1_b_conv, phase.name).toBe(0);
  });

  it('leaves out a phase with nothing to train (a pretrained head leaves phase 1 empty)', () => {
    const p = plan(resnet18, { baseLr: 1, pretrainedNodes: resnet18.nodes.map((n) => n.id) });
    expect(p.newNodes).toEqual([]);
    expect(p.phases.map((ph) => ph.name)).toEqual(['top', 'all']);
  });

  it('reports what it cannot plan, as values with codes', () => {
    const noHead = graph([input(3, 8, 8), { id: 'conv', type: 'Conv2d', params: { outChannels: 4 } }], ['in -> conv']);
    const codes = (g: GraphIR, o: FineTuneOptionsInput) => {
      const r = planFineTune(g, o);
      return r.ok ? [] : r.errors.map((e) => e.code);
    };
    expect(codes(noHead, { baseLr: 1 })).toEqual(['no_head']);
    expect(codes(resnet18, { baseLr: 1, pretrainedNodes: ['nope'] })).toEqual(['unknown_node']);
    expect(codes(resnet18, { baseLr: 1, pretrainedNodes: [] })).toEqual(['no_backbone']);
    expect(codes(resnet18, { baseLr: 1, totalEpochs: 10, epochsPerPhase: [1, 1, 1] })).toEqual(['invalid_options']);
    expect(codes(resnet18, { baseLr: -1 })).toEqual(['invalid_options']);
  });

  it('drives the optimiser: in phase 1 a step moves the head and leaves the backbone exactly as it was', () => {
    const g = graph(
      [input(3, 4, 4), { id: 'conv', type: 'Conv2d', params: { outChannels: 2 } }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'h', type: 'ClassificationHead', params: { classes: 2 } }],
      ['in -> conv', 'conv -> gap', 'gap -> h'],
    );
    const [phase1] = plan(g, { baseLr: 0.1 }).phases;
    const { model } = compileGraph(g, tf);
    const before = model.weights.map((w) => Array.from(w.read().dataSync()));
    const optimizer = createOptimizer(tf, { optimizer: 'adam', learningRate: phase1.lr, weightDecay: 0 }, { lrMultipliers: nodeLrMultipliers(phase1.lrMultipliers) });
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1);
    optimizer.step(() => (model.apply(x) as tf.Tensor).square().mean() as tf.Scalar).dispose();
    const changed = model.weights.map((w, i) => [w.originalName, Array.from(w.read().dataSync()).some((v, j) => v !== before[i][j])]);
    expect(Object.fromEntries(changed)).toEqual({ 'conv/kernel': false, 'conv/bias': false, 'h/kernel': true, 'h/bias': true });
    optimizer.dispose();
    model.dispose();
  });
});
