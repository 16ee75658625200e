import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../../main/core';
import { expectShapeError } from './shapeErrorMatch';

/** The documented FLOPs per element of each activation. */
const perElement: [string, number][] = [
  ['ReLU', 1],
  ['ReLU6', 2],
  ['LeakyReLU', 2],
  ['HardSigmoid', 3],
  ['HardSwish', 4],
  ['Sigmoid', 4],
  ['Tanh', 5],
  ['SiLU', 5],
  ['GELU', 8],
  ['Softmax', 5],
];
const shapes = [[16, 8, 8], [197, 768], [1000], [3, 224, 224]];

describe('activations keep any shape, have no params and cost a fixed amount per element', () => {
  const cases = perElement.flatMap(([t, f]) => shapes.map((s) => [t, JSON.stringify(s), f] as [string, string, number]));
  it.each(cases)('%s on %s: %i FLOPs per element', (type, shapeText, flops) => {
    const block = getBlock(type)!;
    const shape = JSON.parse(shapeText) as number[];
    const params = block.params.parse({});
    expect(block.inferShape({ in: [shape] }, params)).toEqual(shape);
    expect(block.countParams({ in: [shape] }, params)).toEqual({ params: 0, buffers: 0 });
    expect(block.countFlops({ in: [shape] }, shape, params)).toBe(flops * shape.reduce((a, b) => a * b, 1));
    expect(block.doc).toContain(`${flops} FLOP`);
    expect(block.category).toBe('activation');
  });

  it('LeakyReLU defaults to slope 0.01, takes another, rejects a negative one and unknown keys', () => {
    const leaky = getBlock('LeakyReLU')!;
    expect(leaky.params.parse({})).toEqual({ negativeSlope: 0.01 });
    expect(leaky.params.parse({ negativeSlope: 0.2 })).toEqual({ negativeSlope: 0.2 });
    expect(leaky.params.safeParse({ negativeSlope: -1 }).success).toBe(false);
    expect(getBlock('GELU')!.params.safeParse({ approximate: 'tanh' }).success).toBe(false);
  });
});

describe('GroupNorm', () => {
  const gn = getBlock('GroupNorm')!;
  it.each([
    [32, 64, 56],
    [32, 256, 7],
    [1, 3, 8],
    [8, 8, 4],
  ])('groups=%i over C=%i (W=%i): shape unchanged, 2C params, no buffers', (g, c, w) => {
    const params = gn.params.parse({ groups: g });
    expect(gn.inferShape({ in: [[c, w, w]] }, params)).toEqual([c, w, w]);
    expect(gn.countParams({ in: [[c, w, w]] }, params)).toEqual({ params: 2 * c, buffers: 0 });
  });

  it.each([
    [32, 48],
    [3, 64],
    [16, 8],
  ])('groups=%i not dividing C=%i is an invalid_param naming both numbers', (g, c) => {
    expectShapeError(() => gn.inferShape({ in: [[c, 4, 4]] }, gn.params.parse({ groups: g })), 'invalid_param', `groups=${g} must divide the ${c} input channels`);
  });

  it('needs [C,H,W]', () => {
    expectShapeError(() => gn.inferShape({ in: [[64]] }, gn.params.parse({})), 'shape_mismatch', /\[64\]/);
  });

  it('has a TF.js build (the engine’s GroupNorm layer, injected as ctx.layers)', () => {
    expect(gn.build).toBeDefined();
  });
});

describe('LayerNorm', () => {
  const ln = getBlock('LayerNorm')!;
  it.each([
    ['channels', [96, 56, 56], 2 * 96],
    ['channels', [197, 768], 2 * 768],
    ['channels', [512], 2 * 512],
    ['all', [4, 8, 8], 2 * 4 * 8 * 8],
    ['all', [10, 6], 2 * 60],
  ] as [string, number[], number][])('normalizedShape=%s over %j: %i params', (mode, shape, params) => {
    const p = ln.params.parse({ normalizedShape: mode });
    expect(ln.inferShape({ in: [shape] }, p)).toEqual(shape);
    expect(ln.countParams({ in: [shape] }, p)).toEqual({ params, buffers: 0 });
  });

  it('ViT-B/16 has 25 LayerNorms of 768: 38,400 params', () => {
    const p = ln.params.parse({ eps: 1e-6 });
    expect(25 * ln.countParams({ in: [[197, 768]] }, p).params).toBe(38_400);
  });

  it('rejects an unknown normalizedShape and a zero eps', () => {
    expect(ln.params.safeParse({ normalizedShape: 'height' }).success).toBe(false);
    expect(ln.params.safeParse({ eps: 0 }).success).toBe(false);
  });
});
