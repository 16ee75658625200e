import { describe, expect, it } from 'vitest';
import { renderShapeSampleDetail, SHAPE_CLASSES } from '../../../main/data/synthetic';
import { diskFillRatio, foregroundFromPixels, lumaOf } from './featuresHelpers';

const SIZE = 64;
const PER_CLASS = 30;

/** PER_CLASS samples of every class (labels go round-robin, so index = k·10 + class). */
function samplesOf(cls: number, seed = 21) {
  return Array.from({ length: PER_CLASS }, (_, k) => renderShapeSampleDetail(k * 10 + cls, { seed, size: SIZE }));
}

function meanColour(pixels: Float32Array, mask: Uint8Array, want: 0 | 1): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] !== want) continue;
    n++;
    for (let c = 0; c < 3; c++) sum[c] += pixels[3 * p + c];
  }
  return sum.map((s) => s / n) as [number, number, number];
}

const luma = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

describe('synthetic shapes: what the pixels show', () => {
  it('the shape always stands out from its background in brightness', () => {
    for (let cls = 0; cls < 10; cls++) {
      for (const s of samplesOf(cls)) {
        const gap = Math.abs(luma(meanColour(s.pixels, s.mask, 1)) - luma(meanColour(s.pixels, s.mask, 0)));
        expect(gap, `${SHAPE_CLASSES[cls]} sample`).toBeGreaterThan(0.3);
        // The shape occupies a real part of the image: 30–70 % of its side.
        const area = s.mask.reduce((a, v) => a + v, 0) / (SIZE * SIZE);
        expect(area).toBeGreaterThan(0.01);
        expect(area).toBeLessThan(0.4);
      }
    }
  });

  it('colour is not the class: every class comes in many colours, and class colour means agree', () => {
    const all: number[][] = [];
    const classMeans: number[][] = [];
    for (let cls = 0; cls < 10; cls++) {
      const colours = samplesOf(cls).map((s) => meanColour(s.pixels, s.mask, 1));
      all.push(...colours);
      for (let c = 0; c < 3; c++) {
        const values = colours.map((rgb) => rgb[c]);
        expect(Math.max(...values) - Math.min(...values), `${SHAPE_CLASSES[cls]} channel ${c}`).toBeGreaterThan(0.6);
      }
      classMeans.push([0, 1, 2].map((c) => colours.reduce((s, rgb) => s + rgb[c], 0) / colours.length));
    }
    const global = [0, 1, 2].map((c) => all.reduce((s, rgb) => s + rgb[c], 0) / all.length);
    // σ of a class mean over 30 uniform draws is ≈ 0.05; 0.2 is 4σ.
    for (const m of classMeans) for (let c = 0; c < 3; c++) expect(Math.abs(m[c] - global[c])).toBeLessThan(0.2);
  });

  it('the foreground can be recovered from the pixels alone', () => {
    for (let cls = 0; cls < 10; cls++) {
      for (const s of samplesOf(cls).slice(0, 10)) {
        const fg = foregroundFromPixels(s.pixels, SIZE);
        let agree = 0;
        for (let p = 0; p < fg.length; p++) if (fg[p] === s.mask[p]) agree++;
        expect(agree / fg.length, SHAPE_CLASSES[cls]).toBeGreaterThan(0.97);
      }
    }
  });

  it('classes are separable by shape: disk fill ratio tells circle, hexagon, square and triangle apart', () => {
    const ratios = (name: string) => samplesOf(SHAPE_CLASSES.indexOf(name)).map((s) => diskFillRatio(foregroundFromPixels(s.pixels, SIZE), SIZE));
    const circle = ratios('circle');
    const hexagon = ratios('hexagon');
    const square = ratios('square');
    const triangle = ratios('triangle');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Ideal values: 1, 0.83, 0.64, 0.41. Every circle beats every square outright.
    expect(Math.min(...circle)).toBeGreaterThan(Math.max(...square));
    expect(Math.min(...square)).toBeGreaterThan(Math.max(...triangle));
    expect(mean(circle)).toBeGreaterThan(mean(hexagon) + 0.05);
    expect(mean(hexagon)).toBeGreaterThan(mean(square) + 0.1);
    expect(mean(circle)).toBeGreaterThan(0.85);
    expect(mean(square)).toBeGreaterThan(0.55);
    expect(mean(square)).toBeLessThan(0.75);
  });

  it('background is textured, not flat', () => {
    for (const s of samplesOf(0).slice(0, 10)) {
      const l = lumaOf(s.pixels);
      const bg = Array.from(l).filter((_, p) => !s.mask[p]);
      const m = bg.reduce((a, b) => a + b, 0) / bg.length;
      const sd = Math.sqrt(bg.reduce((a, b) => a + (b - m) ** 2, 0) / bg.length);
      expect(sd).toBeGreaterThan(0.015);
    }
  });
});
