import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../../main/core';
import { expectShapeError } from './shapeErrorMatch';

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('Flatten', () => {
  const flatten = getBlock('Flatten')!;
  it.each([[[512, 7, 7]], [[197, 768]], [[10]]])('%j → [product]', (shape) => {
    expect(flatten.inferShape({ in: [shape] }, {})).toEqual([prod(shape)]);
  });
  it('VGG-16: [512,7,7] → [25088]', () => {
    expect(flatten.inferShape({ in: [[512, 7, 7]] }, {})).toEqual([25088]);
  });
});

describe('Reshape', () => {
  const reshape = getBlock('Reshape')!;
  it.each([
    [[768, 14, 14], [768, 196], [768, 196]],
    [[768, 14, 14], [768, -1], [768, 196]],
    [[768, 14, 14], [-1], [150528]],
    [[12, 4], [3, -1, 2], [3, 8, 2]],
    [[6], [1, 2, 3], [1, 2, 3]],
  ])('%j to %j gives %j', (x, target, out) => {
    expect(reshape.inferShape({ in: [x] }, reshape.params.parse({ shape: target }))).toEqual(out);
  });

  it.each([
    [[8, 4, 4], [8, 15]],
    [[3, 5], [4, 4]],
  ])('%j into %j is a shape_mismatch quoting both element counts', (x, target) => {
    expectShapeError(() => reshape.inferShape({ in: [x] }, reshape.params.parse({ shape: target })), 'shape_mismatch', `has ${prod(x)} elements but [${target.join(',')}] needs ${prod(target)}`);
  });

  it('a −1 that cannot be filled is a shape_mismatch', () => {
    expectShapeError(() => reshape.inferShape({ in: [[7, 3]] }, reshape.params.parse({ shape: [-1, 4] })), 'shape_mismatch', '21 elements of [7,3] cannot fill [-1,4]');
  });

  it('two −1 are an invalid_param; zero and −2 dims and an empty shape do not parse', () => {
    expectShapeError(() => reshape.inferShape({ in: [[8, 8]] }, reshape.params.parse({ shape: [-1, -1] })), 'invalid_param', 'at most one −1');
    expect(reshape.params.safeParse({ shape: [0, 4] }).success).toBe(false);
    expect(reshape.params.safeParse({ shape: [-2, 4] }).success).toBe(false);
    expect(reshape.params.safeParse({ shape: [] }).success).toBe(false);
  });
});

describe('Permute', () => {
  const permute = getBlock('Permute')!;
  it.each([
    [[3, 5, 7], [1, 2, 0], [5, 7, 3]],
    [[3, 5, 7], [2, 0, 1], [7, 3, 5]],
    [[3, 5, 7], [0, 2, 1], [3, 7, 5]],
    [[196, 768], [1, 0], [768, 196]],
    [[9], [0], [9]],
  ])('%j with dims %j gives %j', (x, dims, out) => {
    expect(permute.inferShape({ in: [x] }, permute.params.parse({ dims }))).toEqual(out);
  });

  it.each([
    [[3, 5, 7], [0, 1]],
    [[3, 5, 7], [0, 1, 1]],
    [[3, 5], [0, 2]],
  ])('%j with dims %j is an invalid_param naming both', (x, dims) => {
    expectShapeError(() => permute.inferShape({ in: [x] }, permute.params.parse({ dims })), 'invalid_param', `dims [${dims.join(',')}] is not a permutation of the ${x.length} axes of [${x.join(',')}]`);
  });
});

describe('Dropout and DropPath', () => {
  it.each([
    ['Dropout', 0.5],
    ['DropPath', 0.1],
  ])('%s rate %f keeps the shape, has no params and rejects rate 1', (type, rate) => {
    const block = getBlock(type)!;
    const p = block.params.parse({ rate });
    expect(block.inferShape({ in: [[64, 8, 8]] }, p)).toEqual([64, 8, 8]);
    expect(block.countParams({ in: [[64, 8, 8]] }, p)).toEqual({ params: 0, buffers: 0 });
    expect(block.params.safeParse({ rate: 1 }).success).toBe(false);
    expect(block.params.safeParse({ rate: -0.1 }).success).toBe(false);
  });
});

describe('Concat', () => {
  const concat = getBlock('Concat')!;
  it.each([
    [[[64, 28, 28], [32, 28, 28]], 0, [96, 28, 28]],
    [[[64, 28, 28], [32, 28, 28], [32, 28, 28]], 0, [128, 28, 28]],
    [[[8, 4, 5], [8, 4, 3]], 2, [8, 4, 8]],
    [[[8, 4, 5], [8, 4, 3]], -1, [8, 4, 8]],
    [[[1, 768], [196, 768]], 0, [197, 768]],
    [[[10], [20]], 0, [30]],
  ])('%j along axis %i gives %j', (shapes, axis, out) => {
    expect(concat.inferShape({ in: shapes }, concat.params.parse({ axis }))).toEqual(out);
  });

  it.each([
    [[[64, 28, 28], [32, 14, 14]], 0],
    [[[64, 28, 28], [64, 28]], 0],
    [[[8, 4, 5], [6, 4, 3]], 2],
  ])('%j along axis %i is a shape_mismatch naming the shapes', (shapes, axis) => {
    const err = expectShapeError(() => concat.inferShape({ in: shapes }, concat.params.parse({ axis })), 'shape_mismatch', shapes.map((s) => `[${s.join(',')}]`).join(' and '));
    expect(err.port).toBe('in');
  });

  it('axis out of range is an invalid_param', () => {
    expectShapeError(() => concat.inferShape({ in: [[4, 2, 2], [4, 2, 2]] }, concat.params.parse({ axis: 3 })), 'invalid_param', 'axis 3 is out of range for [4,2,2]');
  });
});

describe('Multiply', () => {
  const mul = getBlock('Multiply')!;
  it.each([
    [[[16, 8, 8], [16, 8, 8]], [16, 8, 8]],
    [[[16, 8, 8], [16, 1, 1]], [16, 8, 8]],
    [[[16, 1, 1], [16, 8, 8]], [16, 8, 8]],
    [[[16, 8, 8], [16]], [16, 8, 8]],
    [[[197, 768], [197, 768]], [197, 768]],
  ])('%j gives %j', (shapes, out) => {
    expect(mul.inferShape({ in: shapes }, {})).toEqual(out);
    expect(mul.countFlops({ in: shapes }, out, {})).toBe(prod(out));
  });

  it.each([
    [[[16, 8, 8], [8, 1, 1]]],
    [[[16, 8, 8], [16, 8, 1]]],
    [[[16, 8, 8], [8]]],
    [[[16, 8, 8], [16, 4, 4]]],
  ])('%j is a shape_mismatch naming the gate and the full shape', (shapes) => {
    expectShapeError(() => mul.inferShape({ in: shapes }, {}), 'shape_mismatch', `[${shapes[1].join(',')}] neither equals [16,8,8]`);
  });
});
