import { describe, expect, it } from 'vitest';
import { ShapeError, getBlock, type BlockDefinition, type Shape } from '../../../../main/core';

const block = (type: string) => getBlock(type)!;
const infer = (b: BlockDefinition, x: Shape, params: Record<string, unknown> = {}) => b.inferShape({ in: [x] }, b.params.parse(params));
const params = (b: BlockDefinition, x: Shape, p: Record<string, unknown> = {}) => b.countParams({ in: [x] }, b.params.parse(p)).params;
const flops = (b: BlockDefinition, x: Shape, p: Record<string, unknown> = {}) => {
  const parsed = b.params.parse(p);
  return b.countFlops({ in: [x] }, b.inferShape({ in: [x] }, parsed), parsed);
};
/** Runs `fn`, expecting a ShapeError, and returns it. */
const shapeError = (fn: () => unknown): ShapeError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShapeError) return e;
    throw e;
  }
  throw new Error('expected a ShapeError');
};

describe('PatchEmbed: [C,H,W] → [(H/p)(W/p), D], p·p·C·D + D params', () => {
  const pe = block('PatchEmbed');
  const cases: [number, number, number, number, number][] = [];
  for (const [c, h, w] of [[3, 224, 224], [3, 64, 64], [1, 32, 48], [4, 96, 128]]) for (const p of [4, 8, 16, 32]) for (const d of [64, 192, 768]) if (h % p === 0 && w % p === 0) cases.push([c, h, w, p, d]);

  it.each(cases)('C=%i H=%i W=%i patch=%i dim=%i', (c, h, w, p, d) => {
    const n = (h / p) * (w / p);
    expect(infer(pe, [c, h, w], { patchSize: p, dim: d })).toEqual([n, d]);
    expect(params(pe, [c, h, w], { patchSize: p, dim: d })).toBe(p * p * c * d + d);
    expect(flops(pe, [c, h, w], { patchSize: p, dim: d })).toBe(n * (2 * p * p * c * d + d));
  });

  it('ViT-B/16 stem: 3×224×224 → 196 tokens of 768, 590,592 params', () => {
    expect(infer(pe, [3, 224, 224], { patchSize: 16, dim: 768 })).toEqual([196, 768]);
    expect(params(pe, [3, 224, 224], { patchSize: 16, dim: 768 })).toBe(590_592);
  });

  it.each([
    [[3, 224, 224], 14 + 1],
    [[3, 225, 224], 16],
    [[3, 224, 100], 16],
    [[3, 30, 30], 7],
  ] as [Shape, number][])('patch size that does not divide the image: %j with patch %i names both', (x, p) => {
    const e = shapeError(() => infer(pe, x, { patchSize: p }));
    expect(e.code).toBe('invalid_shape');
    expect(e.port).toBe('in');
    expect(e.message).toContain(`patch size ${p}`);
    expect(e.message).toContain(`height ${x[1]}`);
    expect(e.message).toContain(`width ${x[2]}`);
  });

  it.each([[[768]], [[196, 768]], [[1, 3, 224, 224]]] as [Shape][])('wrong rank %j is a shape_mismatch', (x) => {
    expect(shapeError(() => infer(pe, x)).code).toBe('shape_mismatch');
  });

  it('rejects unknown or invalid params', () => {
    expect(pe.params.safeParse({ patchSize: 0 }).success).toBe(false);
    expect(pe.params.safeParse({ patch: 16 }).success).toBe(false);
    expect(pe.params.parse({})).toEqual({ patchSize: 16, dim: 768 });
  });
});

describe('ClassToken, PositionEmbedding, SelectToken', () => {
  const cls = block('ClassToken');
  const pos = block('PositionEmbedding');
  const sel = block('SelectToken');

  it.each([
    [196, 768],
    [64, 192],
    [1, 8],
  ])('N=%i D=%i: class token → [N+1,D] with D params; position embedding N·D params', (n, d) => {
    expect(infer(cls, [n, d])).toEqual([n + 1, d]);
    expect(params(cls, [n, d])).toBe(d);
    expect(infer(pos, [n + 1, d])).toEqual([n + 1, d]);
    expect(params(pos, [n + 1, d])).toBe((n + 1) * d);
    expect(infer(sel, [n + 1, d])).toEqual([d]);
    expect(params(sel, [n + 1, d])).toBe(0);
  });

  it('ViT-B/16: class token 768 and position embedding 197·768 = 151,296 params', () => {
    expect(params(cls, [196, 768])).toBe(768);
    expect(params(pos, [197, 768])).toBe(151_296);
  });

  it.each([
    [2, 1],
    [5, 5],
    [9, 4],
  ])('SelectToken index %i out of range for %i tokens', (index, n) => {
    const e = shapeError(() => infer(sel, [n, 16], { index }));
    expect(e.code).toBe('invalid_shape');
    expect(e.message).toContain(`index ${index}`);
    expect(e.message).toContain(`${n} tokens`);
  });

  it.each(['ClassToken', 'PositionEmbedding', 'SelectToken'])('%s refuses an image or a vector (rank ≠ 2)', (type) => {
    for (const x of [[3, 8, 8], [16]]) expect(shapeError(() => infer(block(type), x)).message).toContain('token sequence [N,D]');
  });

  it('every ViT block has a TF.js builder (ClassToken, PositionEmbedding and attention through the engine\'s custom layers)', () => {
    expect(cls.build).toBeDefined();
    expect(pos.build).toBeDefined();
    for (const type of ['MultiHeadSelfAttention', 'PatchEmbed', 'MLP', 'SelectToken']) expect(block(type).build, type).toBeDefined();
  });
});

describe('MultiHeadSelfAttention: 3D²+3D + D²+D params (torch.nn.MultiheadAttention)', () => {
  const mhsa = block('MultiHeadSelfAttention');
  const cases: [number, number, number][] = [];
  for (const [d, heads] of [[64, 1], [64, 4], [192, 3], [384, 6], [768, 12], [1024, 16]]) for (const n of [1, 65, 197]) cases.push([n, d, heads]);

  it.each(cases)('N=%i D=%i heads=%i', (n, d, heads) => {
    expect(infer(mhsa, [n, d], { heads })).toEqual([n, d]);
    expect(params(mhsa, [n, d], { heads })).toBe(3 * d * d + 3 * d + d * d + d);
    expect(params(mhsa, [n, d], { heads, qkvBias: false })).toBe(3 * d * d + d * d + d);
    // qkv + bias, QKᵀ and AV, scale + softmax (4 per score), output projection + bias
    const expected = 2 * n * d * 3 * d + 3 * n * d + 2 * n * n * d * 2 + 4 * heads * n * n + 2 * n * d * d + n * d;
    expect(flops(mhsa, [n, d], { heads })).toBe(expected);
  });

  it('ViT-B/16 attention has 2,362,368 params', () => {
    expect(params(mhsa, [197, 768], { heads: 12 })).toBe(2_362_368);
  });

  it.each([
    [768, 5],
    [192, 5],
    [100, 3],
    [64, 128],
  ])('D=%i with heads=%i: an invalid_param naming both', (d, heads) => {
    const e = shapeError(() => infer(mhsa, [10, d], { heads }));
    expect(e.code).toBe('invalid_param');
    expect(e.message).toContain(`heads=${heads}`);
    expect(e.message).toContain(`D=${d}`);
  });

  it.each([[[768]], [[3, 14, 14]]] as [Shape][])('wrong rank %j is a shape_mismatch', (x) => {
    expect(shapeError(() => infer(mhsa, x)).code).toBe('shape_mismatch');
  });

  it('rejects a dropout of 1 and unknown keys', () => {
    expect(mhsa.params.safeParse({ dropout: 1 }).success).toBe(false);
    expect(mhsa.params.safeParse({ numHeads: 8 }).success).toBe(false);
  });
});

describe('MLP: D·H + H + H·D + D params', () => {
  const mlp = block('MLP');

  it.each([
    [197, 768, { hiddenDim: 3072 }, 3072],
    [197, 768, {}, 3072],
    [65, 192, { ratio: 2 }, 384],
    [10, 64, { hiddenDim: 100, activation: 'relu', dropout: 0.1 }, 100],
  ] as [number, number, Record<string, unknown>, number][])('N=%i D=%i %j → H=%i', (n, d, p, h) => {
    expect(infer(mlp, [n, d], p)).toEqual([n, d]);
    expect(params(mlp, [n, d], p)).toBe(d * h + h + h * d + d);
    const activationFlops = p.activation === 'relu' ? 1 : 8; // per element, as the ReLU and GELU blocks count
    expect(flops(mlp, [n, d], p)).toBe(n * (2 * d * h + h + activationFlops * h + 2 * h * d + d));
  });

  it('ViT-B/16 MLP has 4,722,432 params', () => {
    expect(params(mlp, [197, 768], { hiddenDim: 3072 })).toBe(4_722_432);
  });

  it('refuses an image', () => {
    expect(shapeError(() => infer(mlp, [3, 8, 8])).code).toBe('shape_mismatch');
  });
});

describe('Linear on tokens [N,D]', () => {
  const linear = block('Linear');

  it.each([
    [[768], 1000],
    [[197, 768], 3072],
    [[65, 192], 10],
  ] as [Shape, number][])('%j → out %i', (x, out) => {
    const d = x.at(-1)!;
    const n = x.length === 2 ? x[0] : 1;
    expect(infer(linear, x, { outFeatures: out })).toEqual([...x.slice(0, -1), out]);
    expect(params(linear, x, { outFeatures: out })).toBe(d * out + out);
    expect(flops(linear, x, { outFeatures: out })).toBe(n * (2 * d * out + out));
  });

  it('still refuses an image [C,H,W]', () => {
    expect(shapeError(() => infer(linear, [3, 8, 8], { outFeatures: 4 })).message).toContain('feature vector');
  });
});
