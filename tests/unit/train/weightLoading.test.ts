import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../main/compile/compileGraph';
import { loadWeightsByName, matchWeights, pretrainedNodes } from '../../../main/train/weightLoading';
import { graph, input } from '../core/graphFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const w = (name: string, ...shape: number[]) => ({ name, shape });

describe('matchWeights', () => {
  it('sorts weights into matched, missing, mismatched and unused', () => {
    const report = matchWeights([w('c/kernel', 3, 3, 3, 8), w('c/bias', 8), w('h/kernel', 8, 5), w('new/kernel', 8, 8)], [w('c/kernel', 3, 3, 3, 8), w('c/bias', 8), w('h/kernel', 8, 10), w('old/kernel', 8, 2)]);
    expect(report).toEqual({
      matched: [
        { target: 'c/kernel', source: 'c/kernel' },
        { target: 'c/bias', source: 'c/bias' },
      ],
      missing: ['new/kernel'],
      mismatched: [{ name: 'h/kernel', source: 'h/kernel', targetShape: [8, 5], sourceShape: [8, 10] }],
      unused: ['old/kernel'],
      excluded: [],
      ambiguous: [],
    });
  });

  it('falls back to names without TF.js’s `_<n>` suffix, after every exact name has had its pick', () => {
    // c/kernel_1 has no exact source, so it takes c/kernel; b/kernel_1 prefers its exact namesake over b/kernel
    const report = matchWeights([w('c/kernel_1', 2), w('b/kernel_1', 2)], [w('c/kernel', 2), w('b/kernel', 2), w('b/kernel_1', 2)]);
    expect(report.matched).toEqual([
      { target: 'b/kernel_1', source: 'b/kernel_1' },
      { target: 'c/kernel_1', source: 'c/kernel' },
    ]);
    expect(report.unused).toEqual(['b/kernel']);
    expect(matchWeights([w('c/kernel_1', 2)], [w('c/kernel', 2)], { stripUniqueSuffix: false }).missing).toEqual(['c/kernel_1']);
  });

  it('copies nothing where the stripped name is ambiguous', () => {
    const report = matchWeights([w('c/kernel', 2)], [w('c/kernel_1', 2), w('c/kernel_2', 2)]);
    expect(report.ambiguous).toEqual([{ target: 'c/kernel', candidates: ['c/kernel_1', 'c/kernel_2'] }]);
    expect(report.matched).toEqual([]);
    expect(report.unused).toEqual(['c/kernel_1', 'c/kernel_2']);
  });

  it('leaves excluded targets alone', () => {
    const report = matchWeights([w('c/kernel', 2), w('h/kernel', 2)], [w('c/kernel', 2), w('h/kernel', 2)], { exclude: (name) => name.startsWith('h/') });
    expect(report.excluded).toEqual(['h/kernel']);
    expect(report.matched.map((m) => m.target)).toEqual(['c/kernel']);
    expect(report.unused).toEqual(['h/kernel']);
  });
});

describe('loadWeightsByName between two compiled graphs', () => {
  // Source: conv → BN → ReLU → pool → fc → 3-class head. Target: the same conv and BN, a new conv
  // c2, no fc, and a 5-class head on 4 features (the source's takes 6).
  const source = graph(
    [
      input(3, 6, 6),
      { id: 'c', type: 'Conv2d', params: { outChannels: 4 } },
      { id: 'bn', type: 'BatchNorm', params: {} },
      { id: 'r', type: 'ReLU', params: {} },
      { id: 'gap', type: 'GlobalAvgPool', params: {} },
      { id: 'fc', type: 'Linear', params: { outFeatures: 6 } },
      { id: 'h', type: 'ClassificationHead', params: { classes: 3 } },
    ],
    ['in -> c', 'c -> bn', 'bn -> r', 'r -> gap', 'gap -> fc', 'fc -> h'],
  );
  const target = graph(
    [
      input(3, 6, 6),
      { id: 'c', type: 'Conv2d', params: { outChannels: 4 } },
      { id: 'bn', type: 'BatchNorm', params: {} },
      { id: 'r', type: 'ReLU', params: {} },
      { id: 'c2', type: 'Conv2d', params: { outChannels: 4 } },
      { id: 'gap', type: 'GlobalAvgPool', params: {} },
      { id: 'h', type: 'ClassificationHead', params: { classes: 5 } },
    ],
    ['in -> c', 'c -> bn', 'bn -> r', 'r -> c2', 'c2 -> gap', 'gap -> h'],
  );

  it('copies the conv and BN (running statistics included), reports the rest, and leaves the head as it was', () => {
    const from = compileGraph(source, tf).model;
    // Running statistics a fresh BN would not have, to see them arrive.
    from.getLayer('bn').setWeights(from.getLayer('bn').getWeights().map((t, i) => tf.fill(t.shape, i + 1)));
    const into = compileGraph(target, tf).model;
    expect(into.weights.map((v) => v.name)).toContain('c/kernel_1'); // the second build: suffixed names
    const headBefore = into.getLayer('h').getWeights()[0].arraySync();

    const named = Object.fromEntries(from.weights.map((v) => [v.name, v.read()]));
    const report = loadWeightsByName(tf, into, named);

    expect(report.matched.map((m) => m.target).sort()).toEqual(['bn/beta', 'bn/gamma', 'bn/moving_mean', 'bn/moving_variance', 'c/bias', 'c/kernel']);
    expect(report.missing.sort()).toEqual(['c2/bias', 'c2/kernel']);
    expect(report.mismatched).toEqual([
      { name: 'h/kernel', source: 'h/kernel', targetShape: [4, 5], sourceShape: [6, 3] },
      { name: 'h/bias', source: 'h/bias', targetShape: [5], sourceShape: [3] },
    ]);
    expect(report.unused.sort()).toEqual(['fc/bias', 'fc/kernel']);

    expect(into.getLayer('c').getWeights()[0].arraySync()).toEqual(from.getLayer('c').getWeights()[0].arraySync());
    expect(into.getLayer('bn').getWeights().map((t) => t.dataSync()[0])).toEqual([1, 2, 3, 4]);
    expect(into.getLayer('h').getWeights()[0].arraySync()).toEqual(headBefore);
    expect(pretrainedNodes(report, target.nodes.map((n) => n.id)).sort()).toEqual(['bn', 'c']);
    from.dispose();
    into.dispose();
  });

  it('takes a Map as the source, and copies the values (the source can be disposed afterwards)', () => {
    const into = compileGraph(target, tf).model;
    const kernel = tf.fill([3, 3, 3, 4], 0.5);
    const report = loadWeightsByName(tf, into, new Map([['c/kernel', kernel]]));
    kernel.dispose();
    expect(report.matched).toEqual([{ target: 'c/kernel', source: 'c/kernel' }]);
    expect(Array.from(into.getLayer('c').getWeights()[0].dataSync()).every((v) => v === 0.5)).toBe(true);
    into.dispose();
  });
});
