import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../../main/core';
import { expectShapeError } from './shapeErrorMatch';

const windowOut = (w: number, k: number, s: number, p: number) => Math.floor((w + 2 * p - k) / s) + 1;

describe('AvgPool', () => {
  const pool = getBlock('AvgPool')!;
  const cases: [number, number, number, number][] = [];
  for (const w of [4, 7, 8, 32, 56]) for (const k of [1, 2, 3]) for (const s of [1, 2, 3]) for (const p of [0, 1]) if (2 * p <= k) cases.push([w, k, s, p]);

  it.each(cases)('W=%i K=%i S=%i P=%i: floor((W+2P−K)/S)+1, no params, K·K FLOPs per output', (w, k, s, p) => {
    const params = pool.params.parse({ kernel: k, stride: s, padding: p });
    const o = windowOut(w, k, s, p);
    expect(pool.inferShape({ in: [[5, w, w]] }, params)).toEqual([5, o, o]);
    expect(pool.countParams({ in: [[5, w, w]] }, params)).toEqual({ params: 0, buffers: 0 });
    expect(pool.countFlops({ in: [[5, w, w]] }, [5, o, o], params)).toBe(5 * o * o * k * k);
  });

  it("'same' keeps ceil(W/S)", () => {
    expect(pool.inferShape({ in: [[5, 7, 7]] }, pool.params.parse({ kernel: 3, stride: 2, padding: 'same' }))).toEqual([5, 4, 4]);
  });

  it('a window larger than the input is an invalid_shape naming the input', () => {
    expectShapeError(() => pool.inferShape({ in: [[5, 2, 2]] }, pool.params.parse({ kernel: 3, stride: 1 })), 'invalid_shape', 'window 3 does not fit input [5,2,2]');
  });

  it('padding more than half the kernel is an invalid_param, like PyTorch', () => {
    expectShapeError(() => pool.inferShape({ in: [[5, 8, 8]] }, pool.params.parse({ kernel: 2, padding: 2 })), 'invalid_param', 'padding 2 is more than half the kernel 2');
  });
});

describe('Upsample', () => {
  const up = getBlock('Upsample')!;
  it.each([
    [{}, [64, 14, 14], [64, 28, 28]],
    [{ scale: 4, mode: 'bilinear' }, [21, 7, 9], [21, 28, 36]],
    [{ size: [20, 13] }, [8, 9, 9], [8, 20, 13]],
    [{ size: [5, 5] }, [8, 9, 9], [8, 5, 5]],
  ])('%j on %j gives %j', (params, x, out) => {
    expect(up.inferShape({ in: [x] }, up.params.parse(params))).toEqual(out);
  });

  it('counts 8 FLOPs per output element for bilinear, none for nearest', () => {
    expect(up.countFlops({ in: [[2, 3, 3]] }, [2, 6, 6], up.params.parse({ mode: 'bilinear' }))).toBe(8 * 72);
    expect(up.countFlops({ in: [[2, 3, 3]] }, [2, 6, 6], up.params.parse({}))).toBe(0);
  });

  it('scale and size together are an invalid_param naming both; bad mode and zero scale do not parse', () => {
    expectShapeError(() => up.inferShape({ in: [[2, 3, 3]] }, up.params.parse({ scale: 2, size: [6, 6] })), 'invalid_param', 'scale (2) or size [6,6], not both');
    expect(up.params.safeParse({ mode: 'bicubic' }).success).toBe(false);
    expect(up.params.safeParse({ scale: 0 }).success).toBe(false);
  });
});

describe('SqueezeExcite', () => {
  const se = getBlock('SqueezeExcite')!;
  it.each([
    [16, 4, 'relu', 'hardsigmoid'],
    [96, 24, 'relu', 'hardsigmoid'],
    [32, 8, 'silu', 'sigmoid'],
    [672, 28, 'silu', 'sigmoid'],
  ])('C=%i S=%i %s/%s: C·S + S + S·C + C params, shape unchanged', (c, s, activation, gate) => {
    const p = se.params.parse({ squeezeChannels: s, activation, gate });
    expect(se.inferShape({ in: [[c, 7, 7]] }, p)).toEqual([c, 7, 7]);
    expect(se.countParams({ in: [[c, 7, 7]] }, p)).toEqual({ params: 2 * c * s + s + c, buffers: 0 });
  });

  it('EfficientNet-B0 stage-1 SE (32→8→32) has 552 params, as torchvision', () => {
    expect(se.countParams({ in: [[32, 112, 112]] }, se.params.parse({ squeezeChannels: 8, activation: 'silu' })).params).toBe(552);
  });

  it('FLOPs: pool C·H·W + two 1×1 convs 2·(2·C·S) + biases + activation + gate + rescale C·H·W', () => {
    const p = se.params.parse({ squeezeChannels: 4 });
    expect(se.countFlops({ in: [[16, 5, 5]] }, [16, 5, 5], p)).toBe(400 + 2 * 2 * 16 * 4 + 4 + 16 + 1 * 4 + 4 * 16 + 400);
  });

  it('needs [C,H,W] and squeezeChannels', () => {
    expectShapeError(() => se.inferShape({ in: [[16]] }, se.params.parse({ squeezeChannels: 4 })), 'shape_mismatch', '[16]');
    expect(se.params.safeParse({}).success).toBe(false);
    expect(se.params.safeParse({ squeezeChannels: 4, gate: 'relu' }).success).toBe(false);
  });
});
