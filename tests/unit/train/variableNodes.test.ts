import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../main/compile/compileGraph';
import { layerOfVariable, nodeLrMultipliers, nodeResolver, withoutUniqueSuffix } from '../../../main/train/variableNodes';
import { graph, input } from '../core/graphFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A conv, a block with helper layers (`se__fc1`), a composite (`blk.a_conv`) and a head. */
const g = graph(
  [
    input(8, 4, 4),
    { id: 'c', type: 'Conv2d', params: { outChannels: 8 } },
    { id: 'se', type: 'SqueezeExcite', params: { squeezeChannels: 2 } },
    { id: 'blk', type: 'BasicBlock', params: { outChannels: 8 } },
    { id: 'gap', type: 'GlobalAvgPool', params: {} },
    { id: 'h', type: 'ClassificationHead', params: { classes: 2 } },
  ],
  ['in -> c', 'c -> se', 'se -> blk', 'blk -> gap', 'gap -> h'],
);

describe('variable names → graph nodes', () => {
  it('TF.js names a compiled graph’s variables `<layer>/<weight>`, and a second build of the same graph `<layer>/<weight>_1`', () => {
    const first = compileGraph(g, tf).model;
    const second = compileGraph(g, tf).model;
    expect(first.weights.map((w) => w.name)).toEqual(expect.arrayContaining(['c/kernel', 'se__fc1/kernel', 'blk.a_conv/kernel', 'blk.a_bn/moving_mean', 'h/bias']));
    expect(second.weights.map((w) => w.name)).toEqual(expect.arrayContaining(['c/kernel_1', 'se__fc1/kernel_1', 'blk.a_conv/kernel_1', 'h/bias_1']));
    expect(second.weights.map((w) => withoutUniqueSuffix(w.name))).toEqual(first.weights.map((w) => w.name));
    const nodeOf = nodeResolver(g.nodes.map((n) => n.id));
    expect(second.weights.map((w) => nodeOf(w.name))).toEqual(first.weights.map((w) => nodeOf(w.name)));
    expect(new Set(first.weights.map((w) => nodeOf(w.name)))).toEqual(new Set(['c', 'se', 'blk', 'h']));
    first.dispose();
    second.dispose();
  });

  it.each([
    ['c/kernel', 'c'],
    ['c/kernel_3', 'c'],
    ['se__fc2/bias', 'se'],
    ['blk.b_bn/gamma', 'blk'],
    ['a.b/kernel', 'a.b'], // a node whose id has a dot is not taken for node `a`
    ['a.b.x/kernel', 'a.b'],
    ['a.c/kernel', 'a'],
    ['a__x__y/kernel', 'a'],
    ['loss_uncertainty_0/cls', undefined],
    ['cc/kernel', undefined],
  ])('%s belongs to node %s', (name, node) => {
    expect(nodeResolver(['c', 'se', 'blk', 'a', 'a.b'])(name)).toBe(node);
  });

  it('splits names at the first slash and strips only the last segment’s numeric suffix', () => {
    expect(layerOfVariable('outer/inner/kernel')).toBe('outer');
    expect(withoutUniqueSuffix('stage_2/kernel_12')).toBe('stage_2/kernel');
    expect(withoutUniqueSuffix('bn/moving_mean')).toBe('bn/moving_mean');
    expect(withoutUniqueSuffix('Variable')).toBe('Variable');
  });

  it('gives variables their node’s multiplier, `otherwise` to the rest', () => {
    const v = (name: string) => ({ name }) as tf.Variable;
    const perNode = nodeLrMultipliers({ c: 0, blk: 0.1, 'a.b': 0.5 }, { nodeIds: ['c', 'blk', 'a', 'a.b', 'h'] });
    expect(['c/kernel', 'blk.a_conv/kernel_1', 'a.b/kernel', 'a.c/kernel', 'h/bias', 'Variable'].map((n) => perNode(v(n)))).toEqual([0, 0.1, 0.5, 1, 1, 1]);
    const elseFrozen = nodeLrMultipliers(new Map([['h', 1]]), { otherwise: 0 });
    expect(['h/kernel', 'c/kernel'].map((n) => elseFrozen(v(n)))).toEqual([1, 0]);
  });
});
